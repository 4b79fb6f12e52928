namespace AgentHost.Sandbox;

/// <summary>
/// Hands each session its own host uid, so RLIMIT_NPROC (counted per uid) bounds one session, and sessions cannot
/// signal or read each other's processes.
/// </summary>
internal sealed class UidPool(int start, int count)
{
    private readonly HashSet<int> taken = [];
    private int next;

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
