namespace AgentHost.Providers;

/// <summary>
/// How transient failures (429, 529, 5xx, timeouts, broken connections) are retried: exponential backoff
/// with full jitter, or exactly the delay the provider asks for in <c>retry-after</c>.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Attempts per model, the first included; 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The backoff before the first retry is drawn from zero to this; it doubles per retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Caps the backoff. A provider asking to wait longer than this is not retried: the call goes to the
    /// fallback model (or fails) instead of stalling the run.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may wait for a response, or a stream for its next update.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
