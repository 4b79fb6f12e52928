namespace AgentHost.Sandbox;

/// <summary>
/// Hands each session its own host uid, so RLIMIT_NPROC (counted per uid) bounds one session, and sessions cannot
/// signal or read each other's processes. The pool does not know the uids other pools hand out — another AgentHost
/// process on the machine, or another sandbox in this one — so each pool starts at its own place in the range
/// (by process id and pool number), which keeps pools apart until the range is crowded.
/// </summary>
internal sealed class UidPool(int start, int count)
{
    private static int pools;

    private readonly HashSet<int> taken = [];
    private int next = (int)(((uint)Environment.ProcessId * 131u + (uint)Interlocked.Increment(ref pools) * 64u) % (uint)count);

    public int Rent()
    {
        lock (taken)
        {
            for (var i = 0; i < count; i++)
            {
                var uid = start + ((next + i) % count);
                if (taken.Add(uid))
                {
                    next = (next + i + 1) % count;
                    return uid;
                }
            }
        }

        throw new InvalidOperationException($"All {count} sandbox uids from {start} are in use; raise AgentHost:Sandbox:UidRangeCount.");
    }

    public void Return(int uid)
    {
        lock (taken)
        {
            taken.Remove(uid);
        }
    }
}
