using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability;

/// <summary>The body of <c>GET /v1/agenthost/usage</c>.</summary>
public sealed record UsageReport
{
    public string Object { get; init; } = "list";
    public required long StartTime { get; init; }
    public long? EndTime { get; init; }
    public string? GroupBy { get; init; }
    public required string PriceTableVersion { get; init; }
    public required IReadOnlyList<UsageTotals> Data { get; init; }
}
