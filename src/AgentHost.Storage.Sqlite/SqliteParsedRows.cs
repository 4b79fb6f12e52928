using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Rows' JSON kept parsed by id, for rows read again and again (a long thread's newest messages, read by each of its
/// runs). A kept object is reused only while the row's JSON is the same text, so a rewritten row is parsed afresh and
/// nothing needs forgetting. Bounded by the JSON kept: past <c>maxChars</c> characters the cache starts over, and a row
/// longer than a 64th of that is not kept.
/// </summary>
internal sealed class SqliteParsedRows<T>(long maxChars, JsonTypeInfo<T> typeInfo)
    where T : class
{
    private readonly Dictionary<string, (string Json, T Value)> rows = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long chars;

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
        if (json.Length > maxChars / 64)
        {
            return value;
        }

        lock (gate)
        {
            if (rows.Remove(id, out var replaced))
            {
                chars -= replaced.Json.Length;
            }

            if (chars + json.Length > maxChars)
            {
                rows.Clear();
                chars = 0;
            }

            rows[id] = (json, value);
            chars += json.Length;
        }

        return value;
    }
}
