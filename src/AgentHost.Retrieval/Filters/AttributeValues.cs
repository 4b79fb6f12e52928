using System.Globalization;
using System.Text.Json;

namespace AgentHost.Retrieval.Filters;

/// <summary>Attribute values as the index holds them: string, double or bool (JSON numbers all become double).</summary>
internal static class AttributeValues
{
    /// <summary>Incomparable: a missing attribute or one of another kind. Chosen so <c>lt</c>/<c>lte</c> (below 0) fail too.</summary>
    public const int Incomparable = int.MaxValue;

    public static IReadOnlyDictionary<string, object?> Normalize(IReadOnlyDictionary<string, object?>? attributes)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes ?? new Dictionary<string, object?>())
        {
            result[key] = Normalize(value);
        }

        return result;
    }

    public static object? Normalize(object? value) => value switch
    {
        null => null,
        string or bool or double => value,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement e => e.GetRawText(),
        IConvertible c when value is sbyte or byte or short or ushort or int or uint or long or ulong or float or decimal =>
            c.ToDouble(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Sign of actual − expected, or <see cref="Incomparable"/>.</summary>
    public static int Compare(object? actual, object expected) => (actual, expected) switch
    {
        (string a, string b) => Math.Sign(string.CompareOrdinal(a, b)),
        (double a, double b) => a.CompareTo(b),
        (bool a, bool b) => a == b ? 0 : Incomparable,
        _ => Incomparable,
    };
}
