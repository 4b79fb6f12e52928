namespace AgentHost.Core.Domain;

/// <summary>
/// AgentHost extension on a run: what its model calls cost in US dollars, from the price table, with the
/// tokens that were billed. Refreshed at each status change.
/// </summary>
public sealed record RunCost
{
    public required decimal TotalUsd { get; init; }
    public required decimal InputUsd { get; init; }
    public required decimal OutputUsd { get; init; }
    public required decimal CacheUsd { get; init; }
    public required int ModelCalls { get; init; }

    /// <summary>Calls whose model has no price in the table; their cost is counted as 0.</summary>
    public int UnpricedCalls { get; init; }
}
