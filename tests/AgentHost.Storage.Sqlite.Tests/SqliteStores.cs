using AgentHost.Core.Files;
using AgentHost.Storage.Contracts;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>Every SQLite store on a new database file in a temporary data directory.</summary>
public sealed class SqliteStores : IStoreFactory
{
    public string? Unavailable => null;

    public Task<StoreSet> OpenAsync(TimeProvider time, FileLimits limits)
    {
        var directory = Directory.CreateTempSubdirectory("agenthost-contract-").FullName;
        var database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        return Task.FromResult(new StoreSet(
            new SqliteAgentStore(database),
            new SqliteFileStore(database, Path.Combine(directory, "files"), limits, time),
            new SqliteUploadStore(database, Path.Combine(directory, "uploads"), time),
            new SqliteVectorStoreRepository(database, time),
            new SqliteChunkStore(database),
            new SqliteTraceStore(database),
            new SqliteUsageLedger(database),
            new SqliteResponseStore(database),
            new SqliteConversationStore(database),
            new SqliteMessageThreadStore(database),
            new SqliteContainerStore(database, Path.Combine(directory, "containers")),
            new SqliteManagedAgentStore(database),
            () =>
            {
                database.Dispose();
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
                return ValueTask.CompletedTask;
            }) { Projects = new SqliteProjectStore(database) });
    }
}
