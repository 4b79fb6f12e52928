using AgentHost.Core.Files;
using AgentHost.Storage.Contracts;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>Every PostgreSQL store on a fresh schema, file bytes in a temporary directory.</summary>
public sealed class PostgresStores : IStoreFactory
{
    public string? Unavailable => TestDatabase.Unavailable;

    public async Task<StoreSet> OpenAsync(TimeProvider time, FileLimits limits)
    {
        var test = await TestDatabase.CreateAsync();
        var directory = Directory.CreateTempSubdirectory("agenthost-contract-pg-").FullName;

        // The database's own clock stays real: it only times retry back-off, which a fake clock would never end.
        var database = test.Open();
        return new StoreSet(
            new PostgresAgentStore(database),
            new PostgresFileStore(database, Path.Combine(directory, "files"), limits, time),
            new PostgresUploadStore(database, Path.Combine(directory, "uploads"), time),
            new PostgresVectorStoreRepository(database, time),
            new PostgresChunkStore(database),
            new PostgresTraceStore(database),
            new PostgresUsageLedger(database),
            new PostgresResponseStore(database),
            new PostgresConversationStore(database),
            new PostgresMessageThreadStore(database),
            new PostgresContainerStore(database, Path.Combine(directory, "containers")),
            new PostgresManagedAgentStore(database),
            async () =>
            {
                await database.DisposeAsync();
                await test.DisposeAsync();
                Directory.Delete(directory, recursive: true);
            }) { Projects = new PostgresProjectStore(database) };
    }
}
