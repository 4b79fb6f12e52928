using System.Collections.Concurrent;
using System.Text.Json;

namespace AgentHost.Providers.Shaping;

/// <summary>
/// Normalised tool schemas by target and schema text: an agent offers the same tools on every call (Claude Code sends
/// ~25, each with a <c>$schema</c> an OpenAI-wire target does not take), so each is rewritten once, not once per call.
/// Bounded: past <see cref="Capacity"/> entries it starts over.
/// </summary>
internal sealed class NormalizedSchemaCache
{
    public const int Capacity = 2048;

    private readonly ConcurrentDictionary<(TargetDialect, string), (JsonElement Schema, IReadOnlyList<string> Changed)> _entries = new();

    public (JsonElement Schema, IReadOnlyList<string> Changed) Normalize(JsonElement schema, TargetDialect dialect)
    {
        if (!ToolSchemaNormalizer.NeedsChange(schema, dialect))
        {
            return (schema, []);
        }

        var key = (dialect, schema.GetRawText());
        if (_entries.TryGetValue(key, out var normalized))
        {
            return normalized;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        return _entries.GetOrAdd(key, static (k, s) => ToolSchemaNormalizer.Normalize(s, k.Item1), schema);
    }
}
