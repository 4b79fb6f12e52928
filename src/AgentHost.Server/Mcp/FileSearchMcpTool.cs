using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;
using ModelContextProtocol.Protocol;

namespace AgentHost.Server.Mcp;

/// <summary>
/// <c>/mcp</c>'s <c>file_search</c>: searches one vector store, named by id or by name, with the engine the Assistants
/// <c>file_search</c> tool and <c>POST /v1/vector_stores/{id}/search</c> use. Results carry file ids, scores and text.
/// </summary>
internal sealed class FileSearchMcpTool(VectorStoreSearch search, IVectorStoreRepository stores)
{
    public const string Name = "file_search";

    public static Tool Definition { get; } = new()
    {
        Name = Name,
        Title = "Search a vector store",
        Description = "Searches the files of an AgentHost vector store (hybrid keyword and semantic search) and returns the best-matching passages "
            + "with their file ids, file names and relevance scores.",
        InputSchema = Json("""
            {"type":"object","properties":{
              "vector_store":{"type":"string","description":"The vector store's id (vs_…) or its name."},
              "query":{"type":"string","description":"What to search for."},
              "max_num_results":{"type":"integer","minimum":1,"maximum":50,"description":"How many passages to return (default 10)."}},
             "required":["vector_store","query"],"additionalProperties":false}
            """),
        OutputSchema = Json("""
            {"type":"object","properties":{
              "vector_store_id":{"type":"string"},"query":{"type":"string"},
              "results":{"type":"array","items":{"type":"object","properties":{
                "file_id":{"type":"string"},"filename":{"type":"string"},"score":{"type":"number"},"text":{"type":"string"}},
                "required":["file_id","filename","score","text"]}}},
             "required":["vector_store_id","query","results"]}
            """),
        Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
    };

    public async Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var args = new McpToolArguments(Name, arguments).Allow("vector_store", "query", "max_num_results");
        var storeName = args.RequiredString("vector_store");
        var query = args.RequiredString("query");
        var max = args.OptionalInteger("max_num_results", 1, 50) ?? 10;
        var storeId = await ResolveAsync(storeName, cancellationToken);

        IReadOnlyList<SearchHit> hits;
        try
        {
            hits = await search.SearchAsync(new SearchRequest([storeId], [query], max), cancellationToken);
        }
        catch (ApiException e)
        {
            throw new McpToolCallException(e.Message);
        }

        var text = new StringBuilder();
        var results = new JsonArray();
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            text.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {hit.Filename} ({hit.FileId}, score {hit.Score:0.000})\n{hit.Text}\n\n");
            results.Add(new JsonObject { ["file_id"] = hit.FileId, ["filename"] = hit.Filename, ["score"] = hit.Score, ["text"] = hit.Text });
        }

        var structured = new JsonObject { ["vector_store_id"] = storeId, ["query"] = query, ["results"] = results };
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = hits.Count == 0 ? $"No passages in {storeId} match the query." : text.ToString().TrimEnd() }],
            StructuredContent = Json(structured.ToJsonString()),
        };
    }

    /// <summary>The id of the store named <paramref name="idOrName"/>: an existing id, else the one store with that name.</summary>
    private async Task<string> ResolveAsync(string idOrName, CancellationToken cancellationToken)
    {
        if (await stores.GetAsync(idOrName, cancellationToken) is { } byId)
        {
            return byId.Id;
        }

        var named = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await stores.ListAsync(new ListQuery { Limit = 100, After = after }, cancellationToken);
            named.AddRange(page.Data.Where(s => string.Equals(s.Name, idOrName, StringComparison.Ordinal)).Select(s => s.Id));
            if (!page.HasMore || page.Data.Count == 0)
            {
                break;
            }

            after = page.Data[^1].Id;
        }

        return named.Count switch
        {
            1 => named[0],
            0 => throw new McpToolCallException($"There is no vector store with the id or name '{idOrName}'."),
            _ => throw new McpToolCallException($"{named.Count} vector stores are named '{idOrName}' ({string.Join(", ", named)}); give the id instead."),
        };
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
