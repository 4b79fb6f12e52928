using AgentHost.Core.Engine;
using AgentHost.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>
/// Chooses the store: PostgreSQL when <c>ConnectionStrings:Postgres</c> (env <c>ConnectionStrings__Postgres</c>) is set,
/// else SQLite in the data directory (the embedded default, needing nothing installed).
/// </summary>
public static class StorageHosting
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        static string DataDir(IServiceProvider sp) => sp.GetRequiredService<IOptions<AgentHostOptions>>().Value.DataDir;
        var postgres = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            return services.AddSqliteStorage(DataDir);
        }

        services.AddPostgresStorage(options =>
        {
            configuration.GetSection("AgentHost:Postgres").Bind(options);
            options.ConnectionString = postgres;
        }, DataDir);

        // Many nodes share the database: a cancel accepted by one reaches the one executing the run, and a stream opened
        // on one receives the events of a run another executes.
        services.AddSingleton<PostgresRunStreams>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresRunStreams>());
        services.Replace(ServiceDescriptor.Singleton<IRunEventSink>(sp => new PostgresRunEventSink(sp.GetRequiredService<RunEventHub>(), sp.GetRequiredService<PostgresRunStreams>())));
        services.AddHostedService<PostgresRunSignals>();

        // Reasoning sealed by one node opens on every other only when they share the key.
        services.AddHostedService<Responses.ReasoningKeyCheck>();
        return services;
    }
}
