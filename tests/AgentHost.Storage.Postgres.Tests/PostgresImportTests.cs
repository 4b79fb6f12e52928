using System.Data;
using System.Data.Common;
using AgentHost.Testing.Requirements;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>An import copies rows with their order and types, and stops rather than drop what it has no place for.</summary>
public sealed class PostgresImportTests
{
    [RequiresFact("postgres")]
    public async Task Rows_KeepTheirSeq_MissingColumnsTakeDefaults_AndNewRowsFollow()
    {
        await using var test = await TestDatabase.CreateAsync();
        var source = new TableSource(Table("assistants", ["seq", "id", "data"], [7L, "asst_b", """{"id":"asst_b"}"""], [3L, "asst_a", """{"id":"asst_a","note":"nul\u0000"}"""]));

        var copied = await PostgresImport.RunAsync(test.ConnectionString, source, CancellationToken.None);

        Assert.Contains(("assistants", 2L), copied);
        Assert.Equal("asst_a,asst_b", await test.ScalarAsync<string>("SELECT string_agg(id, ',' ORDER BY seq) FROM assistants"));
        Assert.Equal("default", await test.ScalarAsync<string>("SELECT DISTINCT project FROM assistants"));
        Assert.Equal("nul\uFFFD", await test.ScalarAsync<string>("SELECT data->>'note' FROM assistants WHERE id = 'asst_a'"));
        Assert.Equal(8L, await test.ScalarAsync<long>("INSERT INTO assistants (id, data) VALUES ('asst_c', '{}') RETURNING seq"));
    }

    [RequiresFact("postgres")]
    public async Task ASourceTableWithoutAPlace_StopsTheImport_AndNothingIsWritten()
    {
        await using var test = await TestDatabase.CreateAsync();
        var source = new TableSource(
            Table("assistants", ["seq", "id", "data"], [1L, "asst_a", "{}"]),
            Table("gadgets", ["id"], ["g1"]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresImport.RunAsync(test.ConnectionString, source, CancellationToken.None));

        Assert.Contains("gadgets", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await test.ScalarAsync<long>("SELECT COUNT(*) FROM assistants"));
    }

    [RequiresFact("postgres")]
    public async Task ATargetHoldingData_IsRefused()
    {
        await using var test = await TestDatabase.CreateAsync();
        var source = new TableSource(Table("assistants", ["seq", "id", "data"], [1L, "asst_a", "{}"]));
        await PostgresImport.RunAsync(test.ConnectionString, source, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresImport.RunAsync(test.ConnectionString, source, CancellationToken.None));

        Assert.Contains("already holds data (table assistants)", error.Message, StringComparison.Ordinal);
    }

    private static DataTable Table(string name, string[] columns, params object[][] rows)
    {
        var table = new DataTable(name);
        foreach (var column in columns)
        {
            table.Columns.Add(column, rows[0][Array.IndexOf(columns, column)].GetType());
        }

        foreach (var row in rows)
        {
            table.Rows.Add(row);
        }

        return table;
    }

    private sealed class TableSource(params DataTable[] tables) : IImportSource
    {
        public IReadOnlySet<string> Tables { get; } = tables.Select(t => t.TableName).ToHashSet();

        public IReadOnlySet<string> ColumnsOf(string table) => Find(table).Columns.Cast<DataColumn>().Select(c => c.ColumnName).ToHashSet();

        public DbDataReader Read(string table, IReadOnlyList<string> columns) => new DataView(Find(table)).ToTable(false, [.. columns]).CreateDataReader();

        private DataTable Find(string name) => tables.Single(t => t.TableName == name);
    }
}
