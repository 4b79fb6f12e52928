using System.Text.Json.Nodes;

namespace AgentHost.Server.Responses;

/// <summary>What shapes a response's output beyond its record: which tools are custom, and what <c>include[]</c> asked for.</summary>
internal sealed record ResponseView(IReadOnlySet<string> CustomTools, bool IncludeFileSearchResults)
{
    /// <summary>True when <c>include[]</c> asked for <c>code_interpreter_call.outputs</c>.</summary>
    public bool IncludeCodeInterpreterOutputs { get; init; }

    /// <summary>The container the response's <c>code_interpreter</c> runs in, if it has one.</summary>
    public string? ContainerId { get; init; }

    /// <summary>The API's base URL as the response's creator reached it, for links to container files.</summary>
    public string? ApiBase { get; init; }

    public static ResponseView Of(JsonObject settings, IEnumerable<string>? include = null)
    {
        var included = include?.ToList() ?? [.. (settings["include"] as JsonArray ?? []).Select(v => (string?)v ?? string.Empty)];
        return new ResponseView(ResponseToolReader.CustomNames(settings["tools"] as JsonArray), included.Contains("file_search_call.results"))
        {
            IncludeCodeInterpreterOutputs = included.Contains("code_interpreter_call.outputs"),
            ContainerId = (string?)settings[ResponseCodeInterpreter.ResolvedContainerKey],
            ApiBase = (string?)settings[ResponseCodeInterpreter.ApiBaseKey],
        };
    }
}
