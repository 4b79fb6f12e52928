using System.Text.Json;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Reads the openai-dotnet recordings in <c>../shared/openai-dotnet-recordings/&lt;TestClass&gt;/&lt;Name&gt;.json</c>.
/// </summary>
internal static class RecordedExchanges
{
    /// <summary>The recording names of one test class, e.g. <c>StreamingRunWorks</c>.</summary>
    public static IReadOnlyList<string> Names(string testClass) =>
        [.. Directory.EnumerateFiles(Path.Combine(SharedArtifacts.RecordingsDirectory, testClass), "*.json")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal)];

    /// <summary>The recorded exchanges in order; empty for a recording that captured nothing.</summary>
    public static IReadOnlyList<RecordedExchange> Load(string testClass, string name)
    {
        var text = File.ReadAllText(Path.Combine(SharedArtifacts.RecordingsDirectory, testClass, name + ".json"));
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.GetProperty("Entries").EnumerateArray().Select(Read)];
    }

    private static RecordedExchange Read(JsonElement entry) => new()
    {
        RequestMethod = entry.GetProperty("RequestMethod").GetString()!,
        RequestUri = new Uri(entry.GetProperty("RequestUri").GetString()!),
        RequestHeaders = Headers(entry.GetProperty("RequestHeaders")),
        RequestBody = entry.GetProperty("RequestBody").Clone(),
        StatusCode = entry.GetProperty("StatusCode").GetInt32(),
        ResponseHeaders = Headers(entry.GetProperty("ResponseHeaders")),
        ResponseBody = entry.GetProperty("ResponseBody").Clone(),
    };

    // A repeated header (Set-Cookie) is recorded as an array; join it as HTTP would.
    private static Dictionary<string, string> Headers(JsonElement headers) =>
        headers.EnumerateObject().ToDictionary(
            header => header.Name,
            header => header.Value.ValueKind == JsonValueKind.Array
                ? string.Join(", ", header.Value.EnumerateArray().Select(value => value.GetString()))
                : header.Value.GetString() ?? "",
            StringComparer.OrdinalIgnoreCase);
}
