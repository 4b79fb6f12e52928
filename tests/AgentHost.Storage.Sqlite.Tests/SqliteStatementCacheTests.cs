using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>The write connection reuses a compiled command per SQL text, binding each write's own values.</summary>
public sealed class SqliteStatementCacheTests : IDisposable
{
    private const string Insert = "INSERT INTO notes (id, text) VALUES (@id, @text)";
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-statements-").FullName;
    private readonly SqliteDatabase database;

    public SqliteStatementCacheTests()
    {
        database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        database.WriteAsync((c, t) => c.Command("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)", t).Run(), CancellationToken.None).Wait();
    }

    [Fact]
    public async Task TheSameSql_ReusesOneCommand_WithEachWritesValues()
    {
        var longText = new string('x', 10_000);
        var commands = new List<SqliteCommand>();
        foreach (var (id, text) in new (long, string?)[] { (1, "short"), (2, longText), (3, null), (4, "after null") })
        {
            await database.WriteAsync((c, t) =>
            {
                var command = c.Command(Insert, t, ("@id", id), ("@text", text));
                commands.Add(command);
                command.Run();
            }, CancellationToken.None);
        }

        Assert.Single(commands.Distinct());
        Assert.Equal([(1, "short"), (2, longText), (3, null), (4, "after null")], await ReadAllAsync());
    }

    [Fact]
    public async Task ACommandStillInUse_IsNotHandedOutAgain_AndOtherParameterNames_AreRebound()
    {
        await database.WriteAsync((c, t) =>
        {
            c.Command(Insert, t, ("@id", 1L), ("@text", "one")).Run();
            using var select = c.Command("SELECT id FROM notes WHERE id >= @from ORDER BY id", t, ("@from", 1L));
            using var reader = select.ExecuteReader();
            Assert.True(reader.Read());

            // The same SQL while its command reads: a fresh command, which leaves the open reader alone.
            using var again = c.Command("SELECT id FROM notes WHERE id >= @from ORDER BY id", t, ("@from", 1L));
            Assert.NotSame(select, again);
            Assert.Equal(1L, again.ExecuteScalar());
            Assert.Equal(1L, reader.GetInt64(0));

            // The insert's SQL with its parameters named in another order still binds each by name.
            c.Command(Insert, t, ("@text", "two"), ("@id", 2L)).Run();
        }, CancellationToken.None);

        Assert.Equal([(1, "one"), (2, "two")], await ReadAllAsync());
    }

    [Fact]
    public async Task ReaderConnections_KeepNoCommands()
    {
        await using var reader = await database.OpenReaderAsync(CancellationToken.None);
        using var first = reader.Command("SELECT 1", null);
        first.Dispose();
        using var second = reader.Command("SELECT 1", null);
        Assert.NotSame(first, second);
    }

    public static TheoryData<string, object?> Values => new()
    {
        { "empty text", "" },
        { "text", "plain" },
        { "unicode", "żółć 東京 🙂" },
        { "lone surrogate", "a\ud800b" },
        { "NUL inside", "a\0b" },
        { "long text", new string('é', 100_000) },
        { "long", long.MaxValue },
        { "int", -7 },
        { "bool", true },
        { "double", 0.1 },
        { "blob", new byte[] { 0, 1, 255 } },
        { "empty blob", Array.Empty<byte>() },
        { "null", null },
        { "decimal (bound by the command)", 12.5m },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task EachValue_IsStoredAndReadBack_AsAFreshCommandStoresAndReadsIt(string kind, object? value)
    {
        await database.WriteAsync((c, t) => c.Command("CREATE TABLE IF NOT EXISTS cells (id INTEGER PRIMARY KEY, v)", t).Run(), CancellationToken.None);
        const string insert = "INSERT INTO cells (id, v) VALUES (@id, @v)";
        await database.WriteAsync((c, t) =>
        {
            // Twice through the kept command (compiled, then reused), once through a fresh one as the oracle.
            c.Command(insert, t, ("@id", 1L), ("@v", value)).Run();
            c.Command(insert, t, ("@id", 2L), ("@v", value)).Run();
            using var fresh = c.CreateCommand();
            fresh.Transaction = t;
            fresh.CommandText = insert;
            fresh.Parameters.AddWithValue("@id", 3L);
            fresh.Parameters.AddWithValue("@v", value ?? DBNull.Value);
            fresh.ExecuteNonQuery();
        }, CancellationToken.None);

        var (kept, reused, oracle, keptScalar) = await database.WriteAsync((c, t) =>
        {
            const string read = "SELECT typeof(v) || ':' || quote(v) FROM cells WHERE id = @id";
            using var fresh = c.CreateCommand();
            fresh.Transaction = t;
            fresh.CommandText = "SELECT v FROM cells WHERE id = 3";
            return ((string)c.Command(read, t, ("@id", 1L)).Scalar()!, (string)c.Command(read, t, ("@id", 2L)).Scalar()!,
                (string)c.Command(read, t, ("@id", 3L)).Scalar()!, (c.Command("SELECT v FROM cells WHERE id = @id", t, ("@id", 1L)).Scalar(), fresh.ExecuteScalar()));
        }, CancellationToken.None);

        Assert.True(kept == oracle && reused == oracle, $"{kind}: the kept command stored {kept} then {reused}, a fresh one {oracle}");
        Assert.Equal(keptScalar.Item2, keptScalar.Item1);
    }

    [Fact]
    public async Task Changes_AreCounted_AndAFailingStatement_ThrowsSqlitesError_AndStaysUsable()
    {
        await database.WriteAsync((c, t) => c.Command(Insert, t, ("@id", 1L), ("@text", "one")).Run(), CancellationToken.None);
        const string update = "UPDATE notes SET text = @text WHERE id = @id";
        var counts = await database.WriteAsync((c, t) => (c.Command(update, t, ("@text", "uno"), ("@id", 1L)).Run(), c.Command(update, t, ("@text", "x"), ("@id", 9L)).Run(),
            c.Command("SELECT count(*) FROM notes WHERE id > @id", t, ("@id", 0L)).Run()), CancellationToken.None);
        Assert.Equal((1, 0, -1), counts);

        var duplicate = await Assert.ThrowsAsync<SqliteException>(() =>
            database.WriteAsync((c, t) => c.Command(Insert, t, ("@id", 1L), ("@text", "again")).Run(), CancellationToken.None));
        Assert.Equal(19, duplicate.SqliteErrorCode);
        Assert.Contains("UNIQUE", duplicate.Message, StringComparison.Ordinal);

        await database.WriteAsync((c, t) => c.Command(Insert, t, ("@id", 2L), ("@text", "two")).Run(), CancellationToken.None);
        Assert.Equal([(1, "uno"), (2, "two")], await ReadAllAsync());
    }

    [Fact]
    public async Task AMissingParameter_OrSeveralStatements_RunAsTheCommandRunsThem()
    {
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            database.WriteAsync((c, t) => c.Command(Insert, t, ("@id", 1L)).Run(), CancellationToken.None));
        Assert.Contains("@text", missing.Message, StringComparison.Ordinal);

        await database.WriteAsync((c, t) => c.Command("INSERT INTO notes (id, text) VALUES (@a, 'a'); INSERT INTO notes (id, text) VALUES (@b, 'b')", t,
            ("@a", 1L), ("@b", 2L)).Run(), CancellationToken.None);
        Assert.Equal([(1, "a"), (2, "b")], await ReadAllAsync());
    }

    private async Task<List<(long, string?)>> ReadAllAsync()
    {
        await using var connection = await database.OpenReaderAsync(CancellationToken.None);
        using var command = connection.Command("SELECT id, text FROM notes ORDER BY id", null);
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    public void Dispose()
    {
        database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
