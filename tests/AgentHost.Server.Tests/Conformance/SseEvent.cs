using System.Text.Json;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>One server-sent event: its name and data, with the data parsed when it is JSON.</summary>
internal sealed class SseEvent(string name, string data)
{
    /// <summary>The data of the stream's last event (named <c>done</c>).</summary>
    public const string DoneData = "[DONE]";

    public string Event { get; } = name;

    public string Data { get; } = data;

    /// <summary>The data as JSON; null for <c>[DONE]</c> or any other data that is not JSON.</summary>
    public JsonElement? Json { get; } = TryParse(data);

    public bool IsDone => Data == DoneData;

    public override string ToString() => $"{Event}: {Data}";

    private static JsonElement? TryParse(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
