namespace AgentHost.Core.RateLimits;

/// <summary>
/// Where the current project's and key's limits for a model stand now, for a refusal reported after the fact — a
/// foreground response whose run's model call was refused answers 429 with the rate-limit headers of this standing.
/// </summary>
public interface IRateLimitStanding
{
    /// <summary>
    /// The standing of the most constrained limit a call to <paramref name="model"/> would be charged to in the current
    /// <see cref="Storage.ProjectScope"/> (the project and key), in the current window; null when no limit applies.
    /// </summary>
    ValueTask<RateLimitState?> StandingAsync(string model, CancellationToken cancellationToken);
}
