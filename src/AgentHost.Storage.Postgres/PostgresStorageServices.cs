using AgentHost.Core.Containers;
using AgentHost.Core.Conversations;
using AgentHost.Core.Files;
using AgentHost.Core.Observability;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Storage.Postgres;

/// <summary>Registers every AgentHost store on PostgreSQL.</summary>
public static class PostgresStorageServices
{
    /// <summary>
    /// Keeps runs, files, uploads, vector stores, chunks, traces, the usage ledger, responses, conversations, Messages
    /// threads and containers in PostgreSQL, file, upload and container file bytes in
    /// <see cref="PostgresStorageOptions.SharedDirectory"/> (else <paramref name="dataDirectory"/>). The options are
    /// validated and the schema migrated as the host starts. Needs a <see cref="TimeProvider"/> and <see cref="FileLimits"/>.
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, Action<PostgresStorageOptions> configure, Func<IServiceProvider, string> dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        services.AddOptions<PostgresStorageOptions>().Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresStorageOptions>, PostgresStorageOptionsValidator>();
        services.AddSingleton(sp => new PostgresDatabase(
            sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.ConnectionString, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PostgresDatabase>>()));
        services.AddHostedService<PostgresMigrator>();
        services.AddSingleton<PostgresNode>();
        services.AddSingleton<PostgresClusterSettings>();

        string Shared(IServiceProvider sp) => sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.SharedDirectory is { Length: > 0 } shared ? shared : dataDirectory(sp);
        services.AddSingleton<IAgentStore, PostgresAgentStore>();
        services.AddSingleton<Core.Tenancy.IProjectStore, PostgresProjectStore>();
        services.AddSingleton<Core.RateLimits.IRateLimitCounter, PostgresRateLimitCounter>();
        services.AddSingleton<IFileStore>(sp => new PostgresFileStore(
            sp.GetRequiredService<PostgresDatabase>(), Path.Combine(Shared(sp), "files"), sp.GetRequiredService<FileLimits>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUploadStore>(sp => new PostgresUploadStore(
            sp.GetRequiredService<PostgresDatabase>(), Path.Combine(Shared(sp), "uploads"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IVectorStoreRepository, PostgresVectorStoreRepository>();
        services.AddSingleton<IChunkStore, PostgresChunkStore>();
        services.AddSingleton<ITraceStore, PostgresTraceStore>();
        services.AddSingleton<IUsageLedger, PostgresUsageLedger>();
        services.AddSingleton<IResponseStore, PostgresResponseStore>();
        services.AddSingleton<IConversationStore, PostgresConversationStore>();
        services.AddSingleton<Core.ManagedAgents.IManagedAgentStore, PostgresManagedAgentStore>();
        services.AddSingleton<IMessageThreadStore, PostgresMessageThreadStore>();
        services.AddSingleton<IContainerStore>(sp => new PostgresContainerStore(sp.GetRequiredService<PostgresDatabase>(), Path.Combine(Shared(sp), "containers")));
        return services;
    }
}
