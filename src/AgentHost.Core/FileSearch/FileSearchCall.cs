using System.Text.Json.Nodes;

namespace AgentHost.Core.FileSearch;

/// <summary>
/// The <c>file_search</c> payload of a tool call in a step: <c>ranking_options</c> and <c>results</c> (each with its
/// chunk <c>content</c>), plus the <c>queries</c> the model sent, kept so a resumed run replays the call exactly.
/// <see cref="ForClient"/> removes what clients see only on request.
/// </summary>
public static class FileSearchCall
{
    /// <summary>The <c>include[]</c> value that asks for result content.</summary>
    public const string IncludeContent = "step_details.tool_calls[*].file_search.results[*].content";

    public static JsonObject Create(int callNumber, JsonObject rankingOptions, IReadOnlyList<string> queries, IEnumerable<FileSearchResult> results) => new()
    {
        ["ranking_options"] = rankingOptions,
        ["results"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
        {
            ["file_id"] = r.FileId,
            ["file_name"] = r.FileName,
            ["score"] = r.Score,
            ["attributes"] = r.Attributes.DeepClone(),
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = r.Text }),
        })]),
        ["queries"] = new JsonArray([.. queries.Select(q => (JsonNode)JsonValue.Create(q))]),
        ["call_number"] = callNumber,
    };

    public static int CallNumber(JsonNode? fileSearch) => (int?)fileSearch?["call_number"] ?? 0;

    /// <summary>The results of a recorded call, in order.</summary>
    public static IReadOnlyList<FileSearchResult> Results(JsonNode? fileSearch) =>
        fileSearch?["results"] is JsonArray results
            ? [.. results.OfType<JsonObject>().Select(r => new FileSearchResult(
                (string?)r["file_id"] ?? string.Empty,
                (string?)r["file_name"] ?? string.Empty,
                (double?)r["score"] ?? 0,
                r["content"] is JsonArray { Count: > 0 } content ? (string?)content[0]?["text"] ?? string.Empty : string.Empty,
                r["attributes"] as JsonObject ?? []))]
            : [];

    public static IReadOnlyList<string> Queries(JsonNode? fileSearch) =>
        fileSearch?["queries"] is JsonArray queries ? [.. queries.Select(q => (string?)q ?? string.Empty)] : [];

    /// <summary>The payload as clients see it: never the queries or call number; the content only when asked for with <see cref="IncludeContent"/>.</summary>
    public static JsonObject ForClient(JsonObject fileSearch, bool includeContent)
    {
        var view = fileSearch.DeepClone().AsObject();
        view.Remove("queries");
        view.Remove("call_number");
        if (!includeContent && view["results"] is JsonArray results)
        {
            foreach (var result in results.OfType<JsonObject>())
            {
                result.Remove("content");
            }
        }

        return view;
    }
}

/// <summary>One retrieved chunk as a step records it.</summary>
public sealed record FileSearchResult(string FileId, string FileName, double Score, string Text, JsonObject Attributes);
