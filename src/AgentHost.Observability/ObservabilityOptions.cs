using AgentHost.Observability.Budgets;
using AgentHost.Observability.Costs;

namespace AgentHost.Observability;

/// <summary>Settings under <c>AgentHost:Observability</c>: price table, budgets, OpenTelemetry export.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "AgentHost:Observability";

    /// <summary>
    /// Off: no trace spans (what was sent and returned). Spend, costs, budgets, sessions and metrics stay on: they
    /// come from the usage ledger, written as each call ends. On by default.
    /// </summary>
    public bool Tracing { get; set; } = true;

    /// <summary>Who pays for calls whose scope names no API key: the server's own key's id (set by the host, not bound).</summary>
    public string ServerApiKeyId { get; set; } = "none";

    /// <summary>A JSON file replacing the shipped price table (same format as <c>prices.json</c>).</summary>
    public string? PriceTable { get; set; }

    /// <summary>Per-model price overrides or additions, applied on top of the table.</summary>
    public Dictionary<string, ModelPriceOverride> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public BudgetOptions Budgets { get; set; } = new();

    /// <summary>OTLP endpoint for traces and metrics (or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); nothing is exported when unset.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>Whether traces keep message and completion text (they always do in the store; this is for OTLP export).</summary>
    public bool ExportContent { get; set; }
}
