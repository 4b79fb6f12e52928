using AgentHost.Core.Observability;
using AgentHost.Observability;
using AgentHost.Observability.Tracing;
using AgentHost.Server.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentHost.Server.Observability;

/// <summary>
/// Hosts the observability layer (<c>AgentHost.Observability</c>) on the stores the storage registration adds, the
/// server's API key as who pays by default, and, when an endpoint is configured, OTLP export.
/// </summary>
public static class ObservabilityServices
{
    public static IServiceCollection AddObservabilityHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAgentHostObservability(configuration);
        services.AddOptions<ObservabilityOptions>().PostConfigure<IOptions<AgentHostOptions>>((options, host) => options.ServerApiKeyId = ApiKeyIdentity.Of(host.Value.ApiKey));

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
