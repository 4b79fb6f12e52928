namespace AgentHost.Core.RateLimits;

/// <summary>
/// Counters kept in this process: enough for one node (SQLite). Windows older than the previous minute are dropped as
/// new ones start, so memory stays proportional to the counters in use.
/// </summary>
public sealed class InProcessRateLimitCounter : IRateLimitCounter
{
    private readonly Dictionary<(string Bucket, long Window), RateLimitCount> windows = [];
    private long newestWindow;

    public ValueTask<RateLimitCount[]> AddAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var totals = new RateLimitCount[charges.Count];
        lock (windows)
        {
            for (var i = 0; i < charges.Count; i++)
            {
                var charge = charges[i];
                if (charge.WindowStart > newestWindow)
                {
                    newestWindow = charge.WindowStart;
                    Prune();
                }

                var key = (charge.Bucket, charge.WindowStart);
                var total = windows.GetValueOrDefault(key);
                total = new RateLimitCount(total.Requests + charge.Requests, total.Tokens + charge.Tokens);
                windows[key] = total;
                totals[i] = total;
            }
        }

        return ValueTask.FromResult(totals);
    }

    private void Prune()
    {
        foreach (var key in windows.Keys.Where(k => k.Window < newestWindow - 1).ToList())
        {
            windows.Remove(key);
        }
    }
}
