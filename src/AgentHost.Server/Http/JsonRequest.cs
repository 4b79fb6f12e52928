using System.Globalization;
using System.Text.Json;
using AgentHost.Core.Errors;

namespace AgentHost.Server.Http;

/// <summary>
/// A request body read field by field, so every bad input is refused with the OpenAI error the original
/// service gave: unknown fields, wrong types and out-of-range values name the offending parameter.
/// </summary>
internal sealed class JsonRequest(JsonElement root, string path = "")
{
    public JsonElement Root { get; } = root;

    /// <summary>Where this object sits in the request, e.g. <c>tools[2]</c>; empty for the body itself.</summary>
    public string Path => path;

    public static async Task<JsonRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new JsonRequest(EmptyObject);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.Invalid("The request body must be a JSON object.");
            }

            UnicodeCheck.RequireValidText(document.RootElement);
            return new JsonRequest(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            throw ApiException.Invalid(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
                "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public string Name(string field) => path.Length == 0 ? field : $"{path}.{field}";

    /// <summary>Refuses fields the operation does not define.</summary>
    public JsonRequest Allow(params string[] fields)
    {
        foreach (var property in Root.EnumerateObject())
        {
            if (System.Array.IndexOf(fields, property.Name) < 0)
            {
                throw ApiException.Invalid($"Unknown parameter: '{Name(property.Name)}'.", Name(property.Name), "unknown_parameter");
            }
        }

        return this;
    }

    public bool Has(string field) => Root.TryGetProperty(field, out _);

    public bool HasNonNull(string field) => Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Get(string field) =>
        Root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string RequiredString(string field, int maxLength = int.MaxValue) =>
        String(field, maxLength) ?? throw ApiException.Invalid($"Missing required parameter: '{Name(field)}'.", Name(field), "missing_required_parameter");

    /// <summary>A required identifier the model sees (a function or schema name): <c>^[a-zA-Z0-9_-]{1,maxLength}$</c>.</summary>
    public string RequiredName(string field, int maxLength = 64)
    {
        var name = RequiredString(field, maxLength);
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? name
            : throw InvalidValue(field, $"'{name}' does not match '^[a-zA-Z0-9_-]{{1,{maxLength}}}$'.");
    }

    public string? String(string field, int maxLength = int.MaxValue)
    {
        if (Get(field) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(field, "a string", value);
        }

        var text = value.GetString()!;
        return text.Length <= maxLength
            ? text
            : throw ApiException.Invalid($"Invalid '{Name(field)}': string too long. Expected a string with maximum length {maxLength}, but got a string with length {text.Length} instead.", Name(field), "string_above_max_length");
    }

    public double? Number(string field, double min, double max)
    {
        if (Get(field) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(field, "a decimal", value);
        }

        var number = value.GetDouble();
        if (number < min)
        {
            throw ApiException.Invalid($"Invalid '{Name(field)}': decimal below minimum value. Expected a value >= {Format(min)}, but got {Format(number)} instead.", Name(field), "decimal_below_min_value");
        }

        return number <= max
            ? number
            : throw ApiException.Invalid($"Invalid '{Name(field)}': decimal above maximum value. Expected a value <= {Format(max)}, but got {Format(number)} instead.", Name(field), "decimal_above_max_value");
    }

    public int? Integer(string field, int min, int max = int.MaxValue)
    {
        if (Get(field) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw WrongType(field, "an integer", value);
        }

        if (number < min)
        {
            throw ApiException.Invalid($"Invalid '{Name(field)}': integer below minimum value. Expected a value >= {min}, but got {number} instead.", Name(field), "integer_below_min_value");
        }

        return number <= max
            ? (int)number
            : throw ApiException.Invalid($"Invalid '{Name(field)}': integer above maximum value. Expected a value <= {max}, but got {number} instead.", Name(field), "integer_above_max_value");
    }

    public bool? Boolean(string field)
    {
        if (Get(field) is not { } value)
        {
            return null;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw WrongType(field, "a boolean", value);
    }

    public JsonRequest? Object(string field)
    {
        if (Get(field) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? new JsonRequest(value, Name(field)) : throw WrongType(field, "an object", value);
    }

    public IEnumerable<JsonElement>? Array(string field, int maxItems = int.MaxValue)
    {
        if (Get(field) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(field, "an array", value);
        }

        var length = value.GetArrayLength();
        return length <= maxItems
            ? value.EnumerateArray()
            : throw ApiException.Invalid($"Invalid '{Name(field)}': array too long. Expected an array with maximum length {maxItems}, but got an array with length {length} instead.", Name(field), "array_above_max_length");
    }

    public JsonRequest Item(JsonElement element, string field, int index) =>
        element.ValueKind == JsonValueKind.Object
            ? new JsonRequest(element, $"{Name(field)}[{index}]")
            : throw ApiException.Invalid($"Invalid type for '{Name(field)}[{index}]': expected an object, but got {Describe(element)} instead.", $"{Name(field)}[{index}]", "invalid_type");

    public ApiException WrongType(string field, string expected, JsonElement value) =>
        ApiException.Invalid($"Invalid type for '{Name(field)}': expected {expected}, but got {Describe(value)} instead.", Name(field), "invalid_type");

    public ApiException InvalidValue(string field, string message) =>
        ApiException.Invalid($"Invalid value for '{Name(field)}': {message}", Name(field), "invalid_value");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
