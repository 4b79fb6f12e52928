namespace AgentHost.Core.Observability;

/// <summary>What one model call cost in US dollars, and which price-table entry priced it.</summary>
public sealed record TraceCost
{
    public required decimal InputUsd { get; init; }
    public required decimal CachedInputUsd { get; init; }
    public required decimal CacheWriteUsd { get; init; }
    public required decimal OutputUsd { get; init; }
    public decimal TotalUsd => InputUsd + CachedInputUsd + CacheWriteUsd + OutputUsd;

    /// <summary>The price-table model and the date its prices took effect, e.g. <c>gpt-4o@2024-08-06</c>.</summary>
    public required string PricedAs { get; init; }
}
