using System.Text.Json;

namespace AgentHost.Providers.Resilience;

/// <summary>
/// Reads <c>error.type</c> and <c>error.message</c>, which Anthropic's and OpenAI's error envelopes share;
/// some compatible servers send <c>{"error": "text"}</c> or plain text instead.
/// </summary>
internal static class UpstreamErrorBody
{
    private const int MaxRawLength = 500;

    public static (string? Type, string? Message) Read(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind switch
                {
                    JsonValueKind.Object => (StringProperty(error, "type"), StringProperty(error, "message")),
                    JsonValueKind.String => (null, error.GetString()),
                    _ => (null, null),
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON: report the text itself.
        }

        return (null, body.Length <= MaxRawLength ? body : body[..MaxRawLength] + "…");
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
