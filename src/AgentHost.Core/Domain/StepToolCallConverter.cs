using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>
/// Writes a <see cref="StepToolCall"/> as the Assistants API does — <c>id</c>, <c>type</c>, then the details under a
/// property named after the type — and reads it back, for the store and the wire alike.
/// </summary>
public sealed class StepToolCallConverter : JsonConverter<StepToolCall>
{
    public override StepToolCall Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A step tool call must be a JSON object.");
        }

        var id = StringOf(root, "id") ?? throw new JsonException("A step tool call needs an 'id'.");
        var type = StringOf(root, "type") ?? throw new JsonException("A step tool call needs a 'type'.");
        if (type == ToolTypes.Function)
        {
            var function = root.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            return new StepToolCall
            {
                Id = id,
                Type = type,
                Function = new StepFunctionCall(
                    function.ValueKind == JsonValueKind.Object ? StringOf(function, "name") ?? string.Empty : string.Empty,
                    function.ValueKind == JsonValueKind.Object ? StringOf(function, "arguments") ?? string.Empty : string.Empty,
                    function.ValueKind == JsonValueKind.Object ? StringOf(function, "output") : null),
            };
        }

        return new StepToolCall
        {
            Id = id,
            Type = type,
            Details = root.TryGetProperty(type, out var details) && details.ValueKind != JsonValueKind.Null ? details.Clone() : null,
        };
    }

    public override void Write(Utf8JsonWriter writer, StepToolCall value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("type", value.Type);
        if (value.Function is { } function)
        {
            writer.WriteStartObject("function");
            writer.WriteString("name", function.Name);
            writer.WriteString("arguments", function.Arguments);
            if (function.Output is null)
            {
                writer.WriteNull("output");
            }
            else
            {
                writer.WriteString("output", function.Output);
            }

            writer.WriteEndObject();
        }
        else if (value.Details is { } details)
        {
            writer.WritePropertyName(value.Type);
            details.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
