using AgentHost.Core.Containers;
using AgentHost.Core.Conversations;
using AgentHost.Core.Files;
using AgentHost.Core.Observability;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Storage.Sqlite;

/// <summary>Registers every AgentHost store on one SQLite file, the embedded default.</summary>
public static class SqliteStorageServices
{
    /// <summary>
    /// Keeps runs, files, uploads, vector stores, chunks, traces, the usage ledger, responses, conversations, Messages
    /// threads and containers in <c>{data directory}/agenthost.db</c>, and file, upload and container file bytes in
    /// <c>files/</c>, <c>uploads/</c> and <c>containers/</c> beside it. Needs a <see cref="TimeProvider"/> and
    /// <see cref="FileLimits"/> in the container.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, Func<IServiceProvider, string> dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        services.AddSingleton(sp => new SqliteDatabase(Path.Combine(dataDirectory(sp), "agenthost.db"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAgentStore, SqliteAgentStore>();
        services.AddSingleton<Core.Tenancy.IProjectStore, SqliteProjectStore>();
        services.AddSingleton<IFileStore>(sp => new SqliteFileStore(
            sp.GetRequiredService<SqliteDatabase>(), Path.Combine(dataDirectory(sp), "files"), sp.GetRequiredService<FileLimits>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUploadStore>(sp => new SqliteUploadStore(
            sp.GetRequiredService<SqliteDatabase>(), Path.Combine(dataDirectory(sp), "uploads"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IVectorStoreRepository, SqliteVectorStoreRepository>();
        services.AddSingleton<IChunkStore, SqliteChunkStore>();
        services.AddSingleton<ITraceStore, SqliteTraceStore>();
        services.AddSingleton<IUsageLedger, SqliteUsageLedger>();
        services.AddSingleton<IResponseStore, SqliteResponseStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<Core.ManagedAgents.IManagedAgentStore, SqliteManagedAgentStore>();
        services.AddSingleton<IMessageThreadStore, SqliteMessageThreadStore>();
        services.AddSingleton<IContainerStore>(sp => new SqliteContainerStore(sp.GetRequiredService<SqliteDatabase>(), Path.Combine(dataDirectory(sp), "containers")));
        return services;
    }
}
