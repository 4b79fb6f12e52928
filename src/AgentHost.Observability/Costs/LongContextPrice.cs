namespace AgentHost.Observability.Costs;

/// <summary>Prices for a whole call whose input is over <see cref="ThresholdInputTokens"/>.</summary>
public sealed record LongContextPrice
{
    public required int ThresholdInputTokens { get; init; }
    public required decimal Input { get; init; }
    public required decimal Output { get; init; }
    public decimal? CachedInput { get; init; }
    public decimal? CacheWrite { get; init; }
}
