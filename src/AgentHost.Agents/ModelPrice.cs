namespace AgentHost.Agents;

/// <summary>A model's price in US dollars per million tokens, for <see cref="AgentLimits.MaxCostUsd"/> and the cost of each call.</summary>
/// <param name="InputPerMillionUsd">Prompt tokens (those not read from a cache).</param>
/// <param name="OutputPerMillionUsd">Completion tokens, reasoning included.</param>
public sealed record ModelPrice(decimal InputPerMillionUsd, decimal OutputPerMillionUsd)
{
    /// <summary>Prompt tokens read from the provider's cache; the input price when null.</summary>
    public decimal? CachedInputPerMillionUsd { get; init; }
}
