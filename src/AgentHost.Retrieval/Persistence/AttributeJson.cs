using System.Text;
using System.Text.Json;
using AgentHost.Retrieval.Filters;

namespace AgentHost.Retrieval.Persistence;

/// <summary>Attributes to and from the JSON stored in <c>retrieval_files.attributes</c>.</summary>
internal static class AttributeJson
{
    public static string Write(IReadOnlyDictionary<string, object?> attributes)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in attributes)
            {
                writer.WritePropertyName(key);
                switch (value)
                {
                    case string s: writer.WriteStringValue(s); break;
                    case double d: writer.WriteNumberValue(d); break;
                    case bool b: writer.WriteBooleanValue(b); break;
                    default: writer.WriteNullValue(); break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static IReadOnlyDictionary<string, object?> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = AttributeValues.Normalize(property.Value.Clone());
        }

        return result;
    }
}
