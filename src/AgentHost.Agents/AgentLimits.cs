namespace AgentHost.Agents;

/// <summary>
/// Limits of one turn of a session. A turn that reaches one ends <c>incomplete</c> with the limit as its reason:
/// <c>max_turns</c>, <c>max_duration</c>, <c>max_cost</c>, <c>max_prompt_tokens</c> or <c>max_completion_tokens</c>.
/// </summary>
public sealed record AgentLimits
{
    /// <summary>Model calls per turn; the call that would exceed it is cancelled as it starts.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>Prompt tokens per turn, summed over its model calls (at least 256).</summary>
    public int? MaxPromptTokens { get; init; }

    /// <summary>Completion tokens per turn, summed over its model calls (at least 256).</summary>
    public int? MaxCompletionTokens { get; init; }

    /// <summary>Wall-clock time per turn, measured by the runtime's <see cref="TimeProvider"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// US dollars per turn, its sub-agents' model calls included, priced by the price list
    /// (<see cref="AgentHostEngineServices.AddAgentHostPrices"/>). A turn whose model (or a sub-agent's) has no price is
    /// refused before it starts. The model call that reaches the limit completes; the turn then ends.
    /// </summary>
    public decimal? MaxCostUsd { get; init; }

    /// <summary>How deep sub-agents may nest below this agent (a sub-agent is depth 1); a deeper call fails with an error the model reads. 4 when null.</summary>
    public int? MaxSubAgentDepth { get; init; }
}
