using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Observability;
using AgentHost.Observability.Budgets;
using AgentHost.Observability.Costs;
using AgentHost.Observability.Metrics;
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
        services.AddSingleton<IModelCallLayer, ObservabilityLayer>();
        services.AddSingleton<IModelCallObserver, TraceModelCallObserver>();
        services.AddSingleton<IRunObserver, ToolCallObserver>();
        services.AddSingleton<IRunCostSource, RunCostSource>();
        return services;
    }
}
