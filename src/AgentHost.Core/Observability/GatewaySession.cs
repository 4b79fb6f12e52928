namespace AgentHost.Core.Observability;

/// <summary>
/// A grouping of stateless gateway calls (<c>x-claude-code-session-id</c>, <c>session_id</c> in
/// <c>metadata.user_id</c>, <c>x-agenthost-session</c>, else one per call) with what they spent. Holds no history.
/// </summary>
public sealed record GatewaySession
{
    public required string Id { get; init; }
    public required ScopeSpend Spend { get; init; }

    /// <summary>The model the latest call asked for.</summary>
    public string? LastModel { get; init; }
}
