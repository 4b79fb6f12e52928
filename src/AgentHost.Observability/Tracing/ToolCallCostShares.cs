using System.Collections.Concurrent;
using AgentHost.Core.Observability;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// The cost of each run's latest model call that asked for tools, so each tool call's span can carry its share: that
/// call's cost divided by the number of tool calls it made. Kept in memory for the runs in flight (a call approved
/// after a restart has no share).
/// </summary>
internal sealed class ToolCallCostShares
{
    private const int MaxRuns = 10_000;
    private readonly ConcurrentDictionary<string, (TraceCost Cost, IReadOnlySet<string> CallIds)> latest = new(StringComparer.Ordinal);

    /// <summary>Remembers what the model call that asked for <paramref name="callIds"/> in run <paramref name="runId"/> cost.</summary>
    public void Record(string runId, TraceCost cost, IReadOnlyCollection<string> callIds)
    {
        if (callIds.Count == 0)
        {
            return;
        }

        if (latest.Count >= MaxRuns)
        {
            // Runs long finished are the ones left behind; dropping some costs only their shares.
            foreach (var key in latest.Keys.Take(MaxRuns / 10))
            {
                latest.TryRemove(key, out _);
            }
        }

        latest[runId] = (cost, callIds.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The share of call <paramref name="callId"/> of run <paramref name="runId"/>, or null when its model call is not known.</summary>
    public TraceCost? ShareOf(string runId, string callId)
    {
        if (!latest.TryGetValue(runId, out var turn) || !turn.CallIds.Contains(callId))
        {
            return null;
        }

        var n = turn.CallIds.Count;
        return new TraceCost
        {
            InputUsd = turn.Cost.InputUsd / n,
            CachedInputUsd = turn.Cost.CachedInputUsd / n,
            CacheWriteUsd = turn.Cost.CacheWriteUsd / n,
            OutputUsd = turn.Cost.OutputUsd / n,
            PricedAs = turn.Cost.PricedAs,
        };
    }
}
