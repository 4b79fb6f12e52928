using System.Data.Common;
using AgentHost.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace AgentHost.Server.Hosting.Cli;

/// <summary>
/// An AgentHost SQLite database as the source of an import, read in one transaction (a consistent snapshot). Rows come
/// oldest first: by <c>seq</c> where the table has one, else by rowid, else by primary key.
/// </summary>
internal sealed class SqliteImportSource : IImportSource, IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction snapshot;
    private readonly Dictionary<string, (HashSet<string> Columns, bool HasRowId)> tables = new(StringComparer.Ordinal);

    public SqliteImportSource(SqliteConnection connection)
    {
        this.connection = connection;
        snapshot = connection.BeginTransaction(deferred: true);
        var names = new List<(string Name, string Sql)>();
        using (var list = Command("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'"))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, sql) in names)
        {
            var columns = new HashSet<string>(StringComparer.Ordinal);
            using var info = Command($"SELECT name FROM pragma_table_info('{name}')");
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }

            tables[name] = (columns, !sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase));
        }

        Tables = tables.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string> Tables { get; }

    public IReadOnlySet<string> ColumnsOf(string table) => tables[table].Columns;

    public DbDataReader Read(string table, IReadOnlyList<string> columns)
    {
        var (all, hasRowId) = tables[table];
        var order = all.Contains("seq") ? " ORDER BY seq" : hasRowId ? " ORDER BY rowid" : string.Empty;
        return Command($"SELECT {string.Join(", ", columns)} FROM {table}{order}").ExecuteReader();
    }

    public void Dispose()
    {
        snapshot.Dispose();
        connection.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        return command;
    }
}
