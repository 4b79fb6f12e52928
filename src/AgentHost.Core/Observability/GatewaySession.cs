namespace AgentHost.Core.Observability;

/// <summary>
/// A grouping of stateless gateway calls (<c>x-claude-code-session-id</c>, <c>session_id</c> in
/// <c>metadata.user_id</c>, <c>x-agenthost-session</c>, else one per call) with what they spent. Holds no history.
/// The id is the client's, so its calls and totals are a project's: another project may use the same id for its own.
/// </summary>
public sealed record GatewaySession
{
    public required string Id { get; init; }
    public required ScopeSpend Spend { get; init; }

    /// <summary>The model the latest call asked for.</summary>
    public string? LastModel { get; init; }
}
