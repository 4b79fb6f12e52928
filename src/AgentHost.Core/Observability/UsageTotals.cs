namespace AgentHost.Core.Observability;

/// <summary>Model calls added up: tokens and US dollars.</summary>
public sealed record UsageTotals
{
    /// <summary>The group's value (a model, an assistant id, a day…); null for a grand total.</summary>
    public string? Key { get; init; }
    public required long ModelCalls { get; init; }
    public required long InputTokens { get; init; }
    public required long CachedInputTokens { get; init; }
    public required long CacheWriteTokens { get; init; }
    public required long OutputTokens { get; init; }
    public required decimal CostUsd { get; init; }
    public long Errors { get; init; }
    public double AverageDurationMs { get; init; }
}
