namespace AgentHost.Providers.Resilience;

/// <summary>
/// Exponential backoff with full jitter: the delay is drawn uniformly below the exponential ceiling, so runs
/// that failed together (one rate limit hitting many) do not retry together.
/// </summary>
internal static class Backoff
{
    public static TimeSpan Delay(int failedAttempt, RetryOptions options)
    {
        var ceiling = Math.Min(options.MaxDelay.Ticks, options.BaseDelay.Ticks * Math.Pow(2, failedAttempt - 1));
        return TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
    }
}
