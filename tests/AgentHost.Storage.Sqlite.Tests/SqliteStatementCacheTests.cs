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
