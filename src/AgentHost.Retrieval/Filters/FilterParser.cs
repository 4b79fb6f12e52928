using System.Text.Json;
using AgentHost.Core.Errors;

namespace AgentHost.Retrieval.Filters;

/// <summary>
/// Reads the OpenAI <c>ComparisonFilter</c> / <c>CompoundFilter</c> JSON, rejecting anything the spec does not allow
/// with a message naming the offending path (e.g. <c>filters.filters[1].value</c>).
/// </summary>
internal static class FilterParser
{
    private static readonly HashSet<string> Comparisons = new(StringComparer.Ordinal) { "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin" };
    private static readonly HashSet<string> Ordered = new(StringComparer.Ordinal) { "gt", "gte", "lt", "lte" };

    public static AttributeFilter? Parse(JsonElement? filter)
    {
        if (filter is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        return Parse(element, "filters");
    }

    private static AttributeFilter Parse(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object: a comparison filter {type, key, value} or a compound filter {type: and|or, filters}");
        }

        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{path}.type", "is required and must be one of eq, ne, gt, gte, lt, lte, in, nin, and, or");
        }

        var type = typeElement.GetString()!;
        if (type is "and" or "or")
        {
            return ParseCompound(element, type, path);
        }

        if (!Comparisons.Contains(type))
        {
            throw Invalid($"{path}.type", $"'{type}' is not a filter type; use one of eq, ne, gt, gte, lt, lte, in, nin, and, or");
        }

        return ParseComparison(element, type, path);
    }

    private static CompoundFilter ParseCompound(JsonElement element, string type, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("type" or "filters"))
            {
                throw Invalid($"{path}.{property.Name}", $"is not allowed in a compound filter (only type and filters)");
            }
        }

        if (!element.TryGetProperty("filters", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw Invalid($"{path}.filters", $"must be a non-empty array of filters for '{type}'");
        }

        var filters = list.EnumerateArray().Select((f, i) => Parse(f, $"{path}.filters[{i}]")).ToArray();
        return new CompoundFilter(type == "and", filters);
    }

    private static ComparisonFilter ParseComparison(JsonElement element, string type, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is not ("type" or "key" or "value"))
            {
                throw Invalid($"{path}.{property.Name}", "is not allowed in a comparison filter (only type, key and value)");
            }
        }

        if (!element.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: > 0 } name)
        {
            throw Invalid($"{path}.key", "is required and must be a non-empty string naming a file attribute");
        }

        if (!element.TryGetProperty("value", out var value))
        {
            throw Invalid($"{path}.value", "is required");
        }

        if (type is "in" or "nin")
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            {
                throw Invalid($"{path}.value", $"must be a non-empty array of strings or numbers for '{type}'");
            }

            var items = value.EnumerateArray().Select((v, i) => v.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? AttributeValues.Normalize(v)!
                : throw Invalid($"{path}.value[{i}]", $"must be a string or a number for '{type}'")).ToArray();
            return new ComparisonFilter(type, name, items);
        }

        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
        {
            throw Invalid($"{path}.value", $"must be a string, number or boolean for '{type}' (arrays are for 'in' and 'nin')");
        }

        if (Ordered.Contains(type) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            throw Invalid($"{path}.value", $"must be a number or a string for '{type}'; booleans have no order");
        }

        return new ComparisonFilter(type, name, AttributeValues.Normalize(value)!);
    }

    private static ApiException Invalid(string path, string problem) =>
        ApiException.Invalid($"Invalid filter: '{path}' {problem}.", path);
}
