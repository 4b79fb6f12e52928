using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>A model call finished: the model asked for and the one that answered, the tokens it used and why it stopped.</summary>
public sealed record ModelCallEnded(string Model, string? ResponseModel, Usage Usage, string? FinishReason) : AgentEvent
{
    /// <summary>What the call cost in US dollars, when a price list priced it (the library's <c>AddAgentHostPrices</c>); else null.</summary>
    public decimal? CostUsd { get; init; }
}
