using AgentHost.Core.RateLimits;

namespace AgentHost.Observability.RateLimits;

/// <summary>What a call that was let through reserved: one request and its estimated tokens on each counter of its window.</summary>
internal sealed record RateLimitReservation(RateLimitCharge[] Charges, long EstimatedTokens);
