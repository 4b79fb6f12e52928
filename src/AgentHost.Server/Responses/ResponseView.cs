using System.Text.Json.Nodes;

namespace AgentHost.Server.Responses;

/// <summary>What shapes a response's output beyond its record: which tools are custom, and what <c>include[]</c> asked for.</summary>
internal sealed record ResponseView(IReadOnlySet<string> CustomTools, bool IncludeFileSearchResults)
{
    public static ResponseView Of(JsonObject settings, IEnumerable<string>? include = null)
    {
        var included = include?.ToList() ?? [.. (settings["include"] as JsonArray ?? []).Select(v => (string?)v ?? string.Empty)];
        return new ResponseView(ResponseToolReader.CustomNames(settings["tools"] as JsonArray), included.Contains("file_search_call.results"));
    }
}
