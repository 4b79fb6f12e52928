namespace AgentHost.Core.RateLimits;

/// <summary>A counter's window totals after a charge.</summary>
public readonly record struct RateLimitCount(long Requests, long Tokens);
