using System.Text.Json;
using AgentHost.Core.Errors;

namespace AgentHost.Server.AnthropicApi;

/// <summary>Reads one field of a request body, refusing bad values in the API's own words (<c>messages.0.role: …</c>).</summary>
internal static class AnthropicField
{
    public static ApiException Invalid(string path, string problem) => ApiException.Invalid($"{path}: {problem}", path);

    public static string Path(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement Required(JsonElement obj, string name, string parent = "") =>
        Get(obj, name) ?? throw Invalid(Path(parent, name), "Field required");

    public static string RequiredString(JsonElement obj, string name, string parent = "") =>
        String(obj, name, parent) ?? throw Invalid(Path(parent, name), "Field required");

    public static string? String(JsonElement obj, string name, string parent = "") => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Invalid(Path(parent, name), "Input should be a valid string"),
    };

    public static bool? Boolean(JsonElement obj, string name, string parent = "") => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Invalid(Path(parent, name), "Input should be a valid boolean"),
    };

    public static double? Number(JsonElement obj, string name, double min, double max, string parent = "")
    {
        if (Get(obj, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(Path(parent, name), "Input should be a valid number");
        }

        var number = value.GetDouble();
        return number >= min && number <= max ? number : throw Invalid(Path(parent, name), $"Input should be between {min} and {max}");
    }

    public static int? Integer(JsonElement obj, string name, int min, string parent = "")
    {
        if (Get(obj, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw Invalid(Path(parent, name), "Input should be a valid integer");
        }

        return number >= min ? number : throw Invalid(Path(parent, name), $"Input should be greater than or equal to {min}");
    }

    public static JsonElement.ArrayEnumerator? Array(JsonElement obj, string name, string parent = "") => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } value => value.EnumerateArray(),
        _ => throw Invalid(Path(parent, name), "Input should be a valid list"),
    };

    public static JsonElement? Object(JsonElement obj, string name, string parent = "") => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => value,
        _ => throw Invalid(Path(parent, name), "Input should be a valid dictionary"),
    };

    /// <summary>The API refuses fields it does not define rather than ignoring a typo.</summary>
    public static void Allow(JsonElement obj, string parent, params ReadOnlySpan<string> fields)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!fields.Contains(property.Name))
            {
                throw Invalid(Path(parent, property.Name), "Extra inputs are not permitted");
            }
        }
    }
}
