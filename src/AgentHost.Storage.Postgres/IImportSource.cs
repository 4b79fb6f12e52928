using System.Data.Common;

namespace AgentHost.Storage.Postgres;

/// <summary>The store an import reads: its tables, their columns, and their rows in the order they were written.</summary>
public interface IImportSource
{
    IReadOnlySet<string> Tables { get; }

    IReadOnlySet<string> ColumnsOf(string table);

    /// <summary>The rows of <paramref name="table"/>, with <paramref name="columns"/> in that order, oldest first.</summary>
    DbDataReader Read(string table, IReadOnlyList<string> columns);
}
