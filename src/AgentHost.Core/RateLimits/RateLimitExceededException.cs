namespace AgentHost.Core.RateLimits;

/// <summary>
/// A model call was refused by a rate limit before it started. It reaches callers as the
/// <see cref="Models.ModelCallException.InnerException"/> of a <c>rate_limit_exceeded</c> model call failure, so a run
/// fails as an upstream rate limit would make it fail, and a front door answers 429 with <see cref="State"/> in its headers.
/// </summary>
public sealed class RateLimitExceededException(string message, RateLimitState state) : Exception(message)
{
    public RateLimitState State { get; } = state;
}
