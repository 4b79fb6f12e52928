using AgentHost.Core.Observability;
using AgentHost.Providers;
using AgentHost.Server.Observability.Budgets;
using AgentHost.Server.Observability.Costs;
using AgentHost.Server.Observability.Metrics;
using AgentHost.Server.Observability.Tracing;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentHost.Server.Observability;

/// <summary>Registers traces, costs, budgets, metrics and, when an endpoint is configured, OTLP export.</summary>
public static class ObservabilityServices
{
    public static IServiceCollection AddAgentHostObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.SectionName));
        services.AddSingleton(sp => PriceTableLoader.Load(sp.GetRequiredService<IOptions<ObservabilityOptions>>().Value));
        services.AddSingleton<ITraceStore>(sp => new SqliteTraceStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<AgentHostMetrics>();
        services.AddSingleton<BudgetGuard>();
        if (configuration.GetValue($"{ObservabilityOptions.SectionName}:Tracing", defaultValue: true))
        {
            services.AddSingleton<IRunObserver, RunTracer>();
            services.AddSingleton<IRunCostSource, RunCostSource>();
            services.AddSingleton<IModelCallObserver, TraceModelCallObserver>();
        }

        var endpoint = configuration[$"{ObservabilityOptions.SectionName}:OtlpEndpoint"] is { Length: > 0 } configured
            ? configured
            : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!string.IsNullOrEmpty(endpoint))
        {
            var protocol = configuration[$"{ObservabilityOptions.SectionName}:OtlpProtocol"] == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            void Configure(OtlpExporterOptions o)
            {
                o.Endpoint = new Uri(endpoint);
                o.Protocol = protocol;
            }

            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("agenthost"))
                .WithTracing(t => t.AddSource(AgentHostTelemetry.Name).AddOtlpExporter(Configure))
                .WithMetrics(m => m.AddMeter(AgentHostTelemetry.Name).AddOtlpExporter(Configure));
        }

        return services;
    }
}
