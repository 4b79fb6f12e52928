using System.Text.Json;

namespace AgentHost.Server.VectorStores;

/// <summary>Index attribute values (string, number, bool) back as JSON for the API.</summary>
internal static class AttributeElements
{
    public static IReadOnlyDictionary<string, JsonElement> From(IReadOnlyDictionary<string, object?> attributes)
    {
        var elements = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            elements[key] = value switch
            {
                string text => JsonSerializer.SerializeToElement(text, AttributeJsonContext.Default.String),
                bool flag => JsonSerializer.SerializeToElement(flag, AttributeJsonContext.Default.Boolean),
                double number => JsonSerializer.SerializeToElement(number, AttributeJsonContext.Default.Double),
                long number => JsonSerializer.SerializeToElement(number, AttributeJsonContext.Default.Int64),
                JsonElement element => element,
                _ => JsonSerializer.SerializeToElement(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), AttributeJsonContext.Default.String),
            };
        }

        return elements;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
internal sealed partial class AttributeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
