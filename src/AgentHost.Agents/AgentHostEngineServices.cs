using AgentHost.Agents.Storage;
using AgentHost.Core.Engine;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using AgentHost.Storage.Postgres;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Agents;

/// <summary>Registers AgentHost's run engine; the AgentHost server registers its engine through these too.</summary>
public static class AgentHostEngineServices
{
    /// <summary>
    /// The run engine (executor, transitions, run service, event hub, queue) and <see cref="AgentRuntime"/>. Needs a store
    /// (<see cref="AddAgentHostSqliteStore"/>) and a model (<see cref="AddAgentHostChatClient"/>, or an <see cref="IModelRouter"/>
    /// such as AgentHost's provider router). Settings already registered (a <see cref="TimeProvider"/>, <see cref="RunEngineOptions"/>)
    /// are kept.
    /// </summary>
    public static IServiceCollection AddAgentHostEngine(this IServiceCollection services, Action<RunEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ =>
        {
            var options = new RunEngineOptions();
            configure?.Invoke(options);
            return options;
        });
        services.TryAddSingleton<ITokenCounter, TiktokenCounter>();
        services.TryAddSingleton<RunEventHub>();
        services.TryAddSingleton<IRunEventSink>(sp => sp.GetRequiredService<RunEventHub>());
        services.TryAddSingleton<RunQueue>();
        services.TryAddSingleton<RunCancellations>();
        services.TryAddSingleton<RunTransitions>();
        services.TryAddSingleton<ToolSources>();
        services.TryAddSingleton<RunHistories>();
        services.TryAddSingleton<ToolCallGates>();
        services.TryAddSingleton<RunExecutor>();
        services.TryAddSingleton<RunService>();
        services.TryAddSingleton(AgentPrices.None);
        services.TryAddSingleton<AgentCostLedger>();
        services.TryAddSingleton(sp => new AgentRuntime(new AgentEngine(
            sp.GetRequiredService<IAgentStore>(), sp.GetRequiredService<RunService>(), sp.GetRequiredService<RunExecutor>(), sp.GetRequiredService<RunTransitions>(),
            sp.GetRequiredService<RunEventHub>(), sp.GetRequiredService<RunEngineOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ToolCallGates>(), sp.GetRequiredService<AgentPrices>(), sp.GetRequiredService<AgentCostLedger>())));
        return services;
    }

    /// <summary>Keeps agents, sessions and runs in one SQLite file at <paramref name="path"/> (created if missing).</summary>
    public static IServiceCollection AddAgentHostSqliteStore(this IServiceCollection services, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        services.TryAddSingleton(sp => new SqliteDatabase(path, sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IAgentStore, SqliteAgentStore>();
        return services;
    }

    /// <summary>
    /// Keeps agents, sessions and runs in PostgreSQL (an Npgsql connection string; <c>Search Path</c> picks the schema),
    /// so sessions are shared by every process on the database and resumed wherever they are asked for. The schema is
    /// created or upgraded on first use. The provider that owns it must be disposed with <c>DisposeAsync</c>.
    /// </summary>
    public static IServiceCollection AddAgentHostPostgresStore(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        services.TryAddSingleton(sp => new PostgresDatabase(connectionString, sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<PostgresDatabase>>() ?? NullLogger<PostgresDatabase>.Instance));
        services.TryAddSingleton<IAgentStore, PostgresAgentStore>();
        return services;
    }

    /// <summary>
    /// Keeps agents, sessions and runs in process memory, with the same rules as the SQLite store; everything is lost when
    /// the process ends (sessions cannot be resumed after a restart).
    /// </summary>
    public static IServiceCollection AddAgentHostInMemoryStore(this IServiceCollection services)
    {
        services.TryAddSingleton<IAgentStore, InMemoryAgentStore>();
        return services;
    }

    /// <summary>
    /// Prices model calls by model name (US dollars per million tokens): each <c>ModelCallEnded</c> event carries its
    /// <c>CostUsd</c>, a run's <c>Cost</c> sums its calls and its sub-agents' calls, and <see cref="AgentLimits.MaxCostUsd"/>
    /// can be used. A model missing from <paramref name="prices"/> costs nothing and refuses a cost limit.
    /// </summary>
    public static IServiceCollection AddAgentHostPrices(this IServiceCollection services, IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        services.Replace(ServiceDescriptor.Singleton(new AgentPrices(new Dictionary<string, ModelPrice>(prices, StringComparer.Ordinal))));
        services.TryAddSingleton<AgentCostLedger>();
        services.TryAddSingleton<RunEventHub>();
        services.Replace(ServiceDescriptor.Singleton<IRunEventSink>(sp =>
            new PricingEventSink(sp.GetRequiredService<RunEventHub>(), sp.GetRequiredService<AgentPrices>(), sp.GetRequiredService<AgentCostLedger>())));
        services.TryAddSingleton<IRunCostSource>(sp => sp.GetRequiredService<AgentCostLedger>());
        return services;
    }

    /// <summary>Answers every model name with <paramref name="client"/> (any <see cref="IChatClient"/>).</summary>
    public static IServiceCollection AddAgentHostChatClient(this IServiceCollection services, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        services.TryAddSingleton<IModelRouter>(new SingleClientRouter(client));
        return services;
    }
}
