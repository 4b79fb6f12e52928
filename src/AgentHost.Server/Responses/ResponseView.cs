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

    /// <summary>
    /// Reasoning items carry <c>encrypted_content</c>: on the answer to a create (whole or streamed), as the original
    /// populates it by default there, when <c>include[]</c> asked for <c>reasoning.encrypted_content</c>, and in the
    /// items kept for later turns.
    /// </summary>
    public bool EncryptedReasoning { get; init; }

    /// <summary>True when <c>reasoning.summary</c> was set: reasoning items carry the model's reasoning text as <c>summary_text</c>.</summary>
    public bool ReasoningSummary { get; init; }

    /// <summary>The view of the answer to a create: reasoning items carry their <c>encrypted_content</c>.</summary>
    public static ResponseView ForCreation(JsonObject settings, IEnumerable<string>? include = null) => Of(settings, include) with { EncryptedReasoning = true };

    public static ResponseView Of(JsonObject settings, IEnumerable<string>? include = null)
    {
        var included = include?.ToList() ?? [.. (settings["include"] as JsonArray ?? []).Select(v => (string?)v ?? string.Empty)];
        return new ResponseView(ResponseToolReader.CustomNames(settings["tools"] as JsonArray), included.Contains("file_search_call.results"))
        {
            IncludeCodeInterpreterOutputs = included.Contains("code_interpreter_call.outputs"),
            ContainerId = (string?)settings[ResponseCodeInterpreter.ResolvedContainerKey],
            ApiBase = (string?)settings[ResponseCodeInterpreter.ApiBaseKey],
            EncryptedReasoning = included.Contains("reasoning.encrypted_content"),
            ReasoningSummary = settings["reasoning"]?["summary"] is JsonValue,
        };
    }
}
