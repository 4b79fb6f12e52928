using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Compat;

/// <summary>Tool call arguments between JSON (Anthropic's <c>input</c> object, OpenAI's <c>arguments</c> string) and M.E.AI's dictionary.</summary>
internal static class ToolArguments
{
    public static Dictionary<string, object?> FromObject(JsonElement input)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        return arguments;
    }

    /// <summary>Parses OpenAI's argument string; text that is not a JSON object (models do emit that) becomes no arguments.</summary>
    public static Dictionary<string, object?> FromString(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return FromObject(document.RootElement);
        }
        catch (JsonException)
        {
            return new(StringComparer.Ordinal);
        }
    }

    public static void Write(Utf8JsonWriter writer, IDictionary<string, object?>? arguments)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, object?>())
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static string ToJson(IDictionary<string, object?>? arguments)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, arguments);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            default:
                JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                break;
        }
    }
}
