using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

public sealed class ToolChoiceConverter : JsonConverter<ToolChoice>
{
    public override ToolChoice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                var other => throw new JsonException($"Invalid tool_choice '{other}': expected 'none', 'auto', 'required' or an object."),
            };
        }

        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("tool_choice object must have a 'type'.");
        }

        var kind = type.GetString()!;
        if (kind is not (ToolTypes.Function or ToolTypes.FileSearch or ToolTypes.CodeInterpreter))
        {
            throw new JsonException($"Invalid tool_choice type '{kind}': expected 'function', 'file_search' or 'code_interpreter'.");
        }

        string? name = null;
        if (kind == ToolTypes.Function)
        {
            if (!root.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object ||
                !function.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
            {
                throw new JsonException("tool_choice of type 'function' must name the function: {\"type\": \"function\", \"function\": {\"name\": \"...\"}}.");
            }

            name = n.GetString();
        }

        return new ToolChoice { Type = kind, FunctionName = name };
    }

    public override void Write(Utf8JsonWriter writer, ToolChoice value, JsonSerializerOptions options)
    {
        if (!value.IsNamed)
        {
            writer.WriteStringValue(value.Type);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        if (value.FunctionName is { } name)
        {
            writer.WriteStartObject("function");
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
