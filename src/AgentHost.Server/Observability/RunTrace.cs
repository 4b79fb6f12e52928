using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability;

/// <summary>The body of <c>GET /v1/threads/{thread_id}/runs/{run_id}/trace</c> (an AgentHost extension).</summary>
public sealed record RunTrace
{
    public string Object { get; init; } = "thread.run.trace";
    public required string RunId { get; init; }
    public required string ThreadId { get; init; }
    public required string AssistantId { get; init; }
    public required string Model { get; init; }
    public required string Status { get; init; }
    public Usage? Usage { get; init; }
    public RunCost? Cost { get; init; }
    public required string PriceTableVersion { get; init; }
    public required IReadOnlyList<TraceSpan> Spans { get; init; }
}
