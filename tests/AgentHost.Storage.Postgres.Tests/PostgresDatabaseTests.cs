using AgentHost.Core.Domain;
using AgentHost.Storage.Contracts;
using AgentHost.Testing.Requirements;
using Npgsql;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>What only PostgreSQL has to get right: migrating once under racing nodes, reconnecting, and text it cannot hold.</summary>
public sealed class PostgresDatabaseTests
{
    [RequiresFact("postgres")]
    public async Task NodesStartingTogether_MigrateOnce()
    {
        await using var test = await TestDatabase.CreateAsync();
        var nodes = Enumerable.Range(0, 3).Select(_ => test.Open()).ToArray();

        await Task.WhenAll(nodes.Select(n => Task.Run(n.MigrateAsync)));

        Assert.Equal((long)PostgresSchema.LatestVersion, await test.ScalarAsync<long>("SELECT COUNT(*) FROM schema_version"));
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    [RequiresFact("postgres")]
    public async Task EveryTable_CarriesItsProject()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var database = test.Open();
        await database.MigrateAsync();

        var missing = await test.ScalarAsync<long>("""
            SELECT COUNT(*) FROM information_schema.tables t WHERE t.table_schema = current_schema() AND t.table_name <> 'schema_version'
            AND NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'project')
            """);

        Assert.Equal(0, missing);
    }

    [RequiresFact("postgres")]
    public async Task LostConnections_AreReplacedAndTheOperationRetried()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var database = test.Open();
        var store = new PostgresAgentStore(database);
        var thread = Objects.Thread();
        await store.CreateThreadAsync(thread, [], CancellationToken.None);

        // As a PostgreSQL restart does: every idle pooled connection of this test is closed by the server.
        await using (var admin = new NpgsqlConnection(TestDatabase.ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", admin);
            kill.Parameters.AddWithValue("name", test.Schema);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        var message = Objects.Message(thread.Id);
        Assert.Null(await store.TryAddMessageAsync(message, CancellationToken.None));
        Assert.Equal(message.Id, (await store.GetMessageAsync(thread.Id, message.Id, CancellationToken.None))?.Id);
    }

    [RequiresFact("postgres")]
    public async Task NulCharacters_AreStoredAsReplacementCharacters()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var database = test.Open();
        var store = new PostgresAgentStore(database);
        var thread = Objects.Thread();
        var message = Objects.Message(thread.Id) with { Content = [MessageContent.FromText("a\0b \\u0000 c")] };

        await store.CreateThreadAsync(thread, [message], CancellationToken.None);

        Assert.Equal("a\uFFFDb \\u0000 c", (await store.GetMessageAsync(thread.Id, message.Id, CancellationToken.None))?.Text);
    }

    [RequiresFact("postgres")]
    public async Task Ingestion_EachPendingFileIsClaimedByOneNodeUntilItsLeaseExpires()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var database = test.Open();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var nodeA = new PostgresVectorStoreRepository(database, clock);
        var nodeB = new PostgresVectorStoreRepository(database, clock);
        var store = new Core.VectorStores.VectorStore { Id = IdGenerator.VectorStore(), CreatedAt = 1 };
        var files = Enumerable.Range(0, 20).Select(i => new Core.VectorStores.NewVectorStoreFile($"file-{i:00}", Core.Retrieval.ChunkingStrategy.Auto,
            new Dictionary<string, System.Text.Json.JsonElement>())).ToList();
        await nodeA.CreateAsync(store, files, CancellationToken.None);
        var none = new HashSet<(string, string)>();

        var claims = await Task.WhenAll(Task.Run(() => nodeA.PendingAsync(15, none, CancellationToken.None)), Task.Run(() => nodeB.PendingAsync(15, none, CancellationToken.None)));

        var claimed = claims.SelectMany(c => c).Select(p => p.FileId).ToList();
        Assert.Equal(20, claimed.Count);
        Assert.Equal(20, claimed.Distinct().Count());
        Assert.All(claims, c => Assert.Equal(c.Select(p => p.FileId).Order(StringComparer.Ordinal), c.Select(p => p.FileId)));
        Assert.Empty(await nodeB.PendingAsync(15, none, CancellationToken.None));

        clock.Advance(PostgresVectorStoreRepository.IngestionLease + TimeSpan.FromSeconds(1));
        await nodeA.FinishAsync(store.Id, "file-00", Core.VectorStores.VectorStoreFileStatus.Completed, 1, null, null, CancellationToken.None);

        Assert.Equal(19, (await nodeB.PendingAsync(50, none, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("Host=db;Database=agenthost", null)]
    [InlineData("Database=agenthost", "names no Host")]
    [InlineData("Host=db;Maximum Pool Size=2", "at least 4 connections")]
    [InlineData("Host=db;Bogus Setting=1", "not a valid PostgreSQL connection string")]
    public void Options_AreCheckedWithAFix(string connectionString, string? error)
    {
        var result = new PostgresStorageOptionsValidator().Validate(null, new PostgresStorageOptions { ConnectionString = connectionString });

        Assert.Equal(error is null, result.Succeeded);
        if (error is not null)
        {
            Assert.Contains(error, result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("ConnectionStrings", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
