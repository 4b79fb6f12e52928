using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability.Sessions;

/// <summary>The body of <c>GET /v1/agenthost/sessions/{id}/trace</c>: every span of the session's calls, in order.</summary>
public sealed record SessionTrace
{
    public string Object { get; init; } = "agenthost.session.trace";
    public required string SessionId { get; init; }
    public required IReadOnlyList<TraceSpan> Spans { get; init; }
}
