namespace AgentHost.Core.RateLimits;

/// <summary>
/// One counter's standing, as the rate-limit headers report it: each limit (null when unset), what is left of it in
/// the current window, and when the window resets.
/// </summary>
public sealed record RateLimitState(long? RequestsLimit, long RequestsRemaining, long? TokensLimit, long TokensRemaining, DateTimeOffset ResetAt)
{
    /// <summary>Whole seconds until the window resets, at least 1: the <c>retry-after</c> value.</summary>
    public long RetryAfterSeconds(DateTimeOffset now) => Math.Max(1, (long)Math.Ceiling((ResetAt - now).TotalSeconds));
}
