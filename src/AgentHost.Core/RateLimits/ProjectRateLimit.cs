namespace AgentHost.Core.RateLimits;

/// <summary>
/// A project's own limits for one model, set through the Admin API (<c>…/rate_limits/rl-{model}</c>); a null value
/// takes the configured default (<c>AgentHost:RateLimits:Project</c>), 0 means no limit.
/// </summary>
public sealed record ProjectRateLimit
{
    public required string Project { get; init; }
    public required string Model { get; init; }
    public long? MaxRequestsPerMinute { get; init; }
    public long? MaxTokensPerMinute { get; init; }
}
