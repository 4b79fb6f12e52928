namespace AgentHost.Core.RateLimits;

/// <summary>
/// The one-minute windows the rate limits count in: in-process on one node (<see cref="InProcessRateLimitCounter"/>),
/// shared by every node in PostgreSQL. Adding is unconditional and atomic per counter; the caller compares the totals
/// with its limits and gives back what it added when one is passed.
/// </summary>
public interface IRateLimitCounter
{
    /// <summary>Adds each charge to its counter's window (in one round trip) and returns the totals after, in the charges' order.</summary>
    ValueTask<RateLimitCount[]> AddAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken);
}
