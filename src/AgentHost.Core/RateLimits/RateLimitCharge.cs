namespace AgentHost.Core.RateLimits;

/// <summary>What one model call adds to (or, negative, gives back to) a counter's one-minute window.</summary>
/// <param name="Bucket">Whose counter: <c>project:{id}:{model}</c> or <c>key:{id}:{model}</c>.</param>
/// <param name="WindowStart">The window's start, in Unix minutes.</param>
public readonly record struct RateLimitCharge(string Bucket, long WindowStart, long Requests, long Tokens);
