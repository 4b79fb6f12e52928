using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Rows' JSON kept parsed by id, for rows read again and again (a long thread's newest messages, read by each of its
/// runs). A kept object is reused only while the row's JSON is the same text, so a rewritten row is parsed afresh and
/// nothing needs forgetting. Bounded: past <c>capacity</c> ids the cache starts over.
/// </summary>
internal sealed class SqliteParsedRows<T>(int capacity, JsonTypeInfo<T> typeInfo)
    where T : class
{
    private readonly Dictionary<string, (string Json, T Value)> rows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The row <paramref name="id"/> whose stored JSON is <paramref name="json"/>, parsed once.</summary>
    public T Parse(string id, string json)
    {
        lock (gate)
        {
            if (rows.TryGetValue(id, out var kept) && string.Equals(kept.Json, json, StringComparison.Ordinal))
            {
                return kept.Value;
            }
        }

        var value = JsonSerializer.Deserialize(json, typeInfo)!;
        lock (gate)
        {
            if (rows.Count >= capacity && !rows.ContainsKey(id))
            {
                rows.Clear();
            }

            rows[id] = (json, value);
        }

        return value;
    }
}
