using AgentHost.Core.Storage;

namespace AgentHost.Agents.Storage;

/// <summary>Rows by id in insertion order (an upsert keeps a row's place), with the store's cursor pagination.</summary>
internal sealed class InMemoryTable<T> where T : class
{
    private readonly Dictionary<string, (long Seq, T Value)> rows = new(StringComparer.Ordinal);
    private long lastSeq;

    public T? Get(string id) => rows.TryGetValue(id, out var row) ? row.Value : null;

    public void Upsert(string id, T value) => rows[id] = (rows.TryGetValue(id, out var row) ? row.Seq : ++lastSeq, value);

    public bool Remove(string id) => rows.Remove(id);

    public int RemoveWhere(Func<T, bool> match)
    {
        var doomed = rows.Where(r => match(r.Value.Value)).Select(r => r.Key).ToList();
        doomed.ForEach(id => rows.Remove(id));
        return doomed.Count;
    }

    /// <summary>Matching rows, oldest first.</summary>
    public List<T> Where(Func<T, bool> match) => [.. rows.Values.Where(r => match(r.Value)).OrderBy(r => r.Seq).Select(r => r.Value)];

    /// <summary>A page of matching rows, as <c>after</c>/<c>before</c> cursors, order and limit ask (the SQLite store's semantics).</summary>
    public Page<T> List(Func<T, bool> match, ListQuery query)
    {
        var backwards = query.Before is not null && query.After is null;
        var newestFirst = query.Ascending == backwards;
        IEnumerable<(long Seq, T Value)> selected = rows.Values.Where(r => match(r.Value));
        if (query.After is not null)
        {
            var after = rows.TryGetValue(query.After, out var a) ? a.Seq : query.Ascending ? long.MaxValue : -1;
            selected = selected.Where(r => query.Ascending ? r.Seq > after : r.Seq < after);
        }

        if (query.Before is not null)
        {
            var before = rows.TryGetValue(query.Before, out var b) ? b.Seq : query.Ascending ? -1 : long.MaxValue;
            selected = selected.Where(r => query.Ascending ? r.Seq < before : r.Seq > before);
        }

        var ordered = newestFirst ? selected.OrderByDescending(r => r.Seq) : selected.OrderBy(r => r.Seq);
        var items = ordered.Take(Math.Min(query.Limit, int.MaxValue - 1) + 1).Select(r => r.Value).ToList();
        var hasMore = items.Count > query.Limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        if (backwards)
        {
            items.Reverse();
        }

        return new Page<T>(items, hasMore);
    }
}
