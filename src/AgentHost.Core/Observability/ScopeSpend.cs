namespace AgentHost.Core.Observability;

/// <summary>A scope's running total in the usage ledger (see <see cref="SpendScopes"/>).</summary>
public sealed record ScopeSpend
{
    public static ScopeSpend None { get; } = new();

    /// <summary>Calls that produced tokens (finished or cut off); calls that failed also count under <see cref="Errors"/>.</summary>
    public long ModelCalls { get; init; }
    public long UnpricedCalls { get; init; }
    public long Errors { get; init; }
    public long InputTokens { get; init; }
    public long CachedInputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long OutputTokens { get; init; }
    public decimal CostUsd { get; init; }
    public decimal InputUsd { get; init; }
    public decimal OutputUsd { get; init; }

    /// <summary>Cache reads and writes.</summary>
    public decimal CacheUsd { get; init; }

    /// <summary>Unix milliseconds of the first and the latest call.</summary>
    public long FirstAt { get; init; }
    public long LastAt { get; init; }
}
