using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

public sealed class ResponseFormatConverter : JsonConverter<ResponseFormat>
{
    public override ResponseFormat Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var value = reader.GetString();
            return value == "auto" ? ResponseFormat.Auto : throw new JsonException("response_format must be 'auto' or an object.");
        }

        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("response_format must be 'auto' or an object with a 'type'.");
        }

        return new ResponseFormat
        {
            Type = type.GetString()!,
            JsonSchema = root.TryGetProperty("json_schema", out var schema) ? schema.Clone() : null,
        };
    }

    public override void Write(Utf8JsonWriter writer, ResponseFormat value, JsonSerializerOptions options)
    {
        if (value.Type == "auto")
        {
            writer.WriteStringValue("auto");
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        if (value.JsonSchema is { } schema)
        {
            writer.WritePropertyName("json_schema");
            schema.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
