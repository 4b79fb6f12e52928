using System.Collections.Concurrent;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Rows of one table kept in memory by id (their project and JSON), so a hot read needs no connection. Every write to
/// the table goes through this process's store, which forgets the row after committing it; a read that raced that
/// write is not kept (the generation it started in has passed). Entries are bounded; past the bound new rows are not
/// kept until one is forgotten.
/// </summary>
internal sealed class SqliteRowCache(int capacity)
{
    private readonly ConcurrentDictionary<string, (string Project, string Json)> rows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long generation;

    /// <summary>The generation a read starts in: pass it to <see cref="Keep"/> when the read is done.</summary>
    public long Generation => Volatile.Read(ref generation);

    public bool TryGet(string id, out (string Project, string Json) row) => rows.TryGetValue(id, out row);

    /// <summary>Keeps a row read in <paramref name="readIn"/>, unless a write has forgotten a row since.</summary>
    public void Keep(string id, string project, string json, long readIn)
    {
        lock (gate)
        {
            if (generation == readIn && rows.Count < capacity)
            {
                rows[id] = (project, json);
            }
        }
    }

    /// <summary>Forgets <paramref name="id"/> once a write to it has committed; reads in flight are not kept.</summary>
    public void Forget(string id)
    {
        lock (gate)
        {
            generation++;
            rows.TryRemove(id, out _);
        }
    }
}
