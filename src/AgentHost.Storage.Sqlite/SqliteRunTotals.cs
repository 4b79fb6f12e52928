using AgentHost.Core.Observability;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Runs' lifetime spend as the usage ledger's latest committed write left it, so the cost a run shows at each status
/// change is not read back from the file it was just written to. Every write to run totals goes through this process's
/// writer, in order: each takes a number there (<see cref="NextWrite"/>), and a number older than the one held, or than
/// the last <see cref="Forget"/>, is not kept. Bounded; a run not held is read from <c>usage_totals</c> as before.
/// </summary>
internal sealed class SqliteRunTotals(int capacity)
{
    private readonly Dictionary<string, (long Write, ScopeSpend Spend)> totals = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long writes;
    private long forgottenAt;

    /// <summary>On the writer, inside a write that adds to run totals: its place in the writer's order.</summary>
    public long NextWrite() => Interlocked.Increment(ref writes);

    /// <summary>On the writer, inside a write that deletes run totals: nothing held, or written before it, is kept.</summary>
    public void Forget()
    {
        lock (gate)
        {
            forgottenAt = NextWrite();
            totals.Clear();
        }
    }

    /// <summary>Write <paramref name="write"/> committed, leaving run <paramref name="runId"/> at <paramref name="spend"/>.</summary>
    public void Committed(string runId, long write, ScopeSpend spend)
    {
        lock (gate)
        {
            if (write <= forgottenAt || (totals.TryGetValue(runId, out var held) && held.Write > write))
            {
                return;
            }

            if (totals.Count >= capacity && !totals.ContainsKey(runId))
            {
                // Runs in flight number a few hundred: past the bound, the ended ones go with the rest and are read again.
                totals.Clear();
            }

            totals[runId] = (write, spend);
        }
    }

    public bool TryGet(string runId, out ScopeSpend spend)
    {
        lock (gate)
        {
            var held = totals.TryGetValue(runId, out var entry);
            spend = held ? entry.Spend : ScopeSpend.None;
            return held;
        }
    }
}
