using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Observability;
using AgentHost.Observability.Budgets;
using AgentHost.Observability.Costs;
using AgentHost.Observability.Metrics;
using AgentHost.Observability.RateLimits;
using AgentHost.Observability.Tracing;
using AgentHost.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the model-call pipeline's observability layer (<see cref="IModelCallLayer"/>): budgets, prices, the
    /// usage ledger's writes, metrics and traces, configured from <c>AgentHost:Observability</c>. The host registers
    /// the stores (<see cref="IUsageLedger"/>, <see cref="ITraceStore"/>) and sets <see cref="ObservabilityOptions.ServerApiKeyId"/>.
    /// </summary>
    public static IServiceCollection AddAgentHostObservability(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ObservabilityOptions>().Configure(options => configuration.GetSection(ObservabilityOptions.SectionName).Bind(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => PriceTableLoader.Load(sp.GetRequiredService<IOptions<ObservabilityOptions>>().Value));
        services.AddSingleton(sp => new AgentHostMetrics(() => sp.GetService<AgentHost.Core.Models.IModelRouter>()?.KnownModels));
        services.AddSingleton<BudgetGuard>();
        services.AddSingleton(sp => new TraceWriter(sp.GetRequiredService<ITraceStore>(), sp.GetRequiredService<IOptions<ObservabilityOptions>>().Value,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<TraceWriter>>()));
        services.AddSingleton<ModelCallRecording>();

        // Rate limits first: the router applies the first registered layer outermost, so a refused call is seen by nothing else.
        services.AddOptions<RateLimitOptions>().Configure(options => configuration.GetSection(RateLimitOptions.SectionName).Bind(options)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>());
        services.TryAddSingleton<AgentHost.Core.RateLimits.IRateLimitCounter, AgentHost.Core.RateLimits.InProcessRateLimitCounter>();
        services.AddSingleton(sp => new RateLimitPolicy(sp.GetRequiredService<IOptions<RateLimitOptions>>(), sp.GetService<AgentHost.Core.Tenancy.IProjectStore>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<AgentHost.Core.RateLimits.IRateLimitStanding>(sp => sp.GetRequiredService<RateLimiter>());
        services.AddSingleton<IModelCallLayer, RateLimitLayer>();
        services.AddSingleton<IModelCallLayer, ObservabilityLayer>();
        services.AddSingleton<IModelCallObserver, TraceModelCallObserver>();
        services.AddSingleton<IRunObserver, ToolCallObserver>();
        services.AddSingleton<IRunCostSource, RunCostSource>();
        return services;
    }
}
