using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary><c>POST /v1/vector_stores/{id}/search</c>: the same engine the <c>file_search</c> tool uses.</summary>
internal static class VectorStoreSearchEndpoint
{
    public static void MapVectorStoreSearchEndpoint(this RouteGroupBuilder group) => group.MapPost("/{vectorStoreId}/search", SearchAsync);

    private static async Task<IResult> SearchAsync(string vectorStoreId, HttpRequest http, VectorStoreSearch search, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("query", "rewrite_query", "max_num_results", "filters", "ranking_options");
        var queries = Queries(request);
        request.Boolean("rewrite_query");
        var max = request.Integer("max_num_results", 1, 50) ?? 10;
        var (ranker, threshold, weights) = RankingOptions(request);
        var filter = request.Get("filters") is { } filters
            ? filters.ValueKind == JsonValueKind.Object ? filters.Clone() : throw request.WrongType("filters", "an object", filters)
            : (JsonElement?)null;

        var hits = await search.SearchAsync(new SearchRequest([vectorStoreId], queries, max, threshold, weights, filter, ranker,
            new ModelCallScope { EntryPoint = ModelCallEntryPoints.VectorStoreSearch }), cancellationToken);
        var page = new SearchResultsPage(queries, [.. hits.Select(h => new SearchResultItem(h.FileId, h.Filename, h.Score, AttributeElements.From(h.Attributes), [new SearchResultContent("text", h.Text)]))]);
        return TypedResults.Json(page, ServerJsonContext.Default.SearchResultsPage);
    }

    private static IReadOnlyList<string> Queries(JsonRequest request)
    {
        var query = request.Get("query") ?? throw ApiException.Invalid("Missing required parameter: 'query'.", "query", "missing_required_parameter");
        var queries = query.ValueKind switch
        {
            JsonValueKind.String => [query.GetString()!],
            JsonValueKind.Array => request.Strings("query", 10),
            _ => throw request.WrongType("query", "a string or an array of strings", query),
        };
        return queries.Count > 0 && queries.All(q => q.Trim().Length > 0)
            ? queries
            : throw ApiException.Invalid("Invalid 'query': expected a non-empty string or a non-empty array of them.", "query", "invalid_value");
    }

    /// <summary>
    /// <c>ranking_options</c>: ranker (<c>auto</c>, <c>default-2024-11-15</c>, <c>none</c>, and AgentHost's <c>llm</c>), score_threshold,
    /// and AgentHost's <c>hybrid_search</c> weights.
    /// </summary>
    private static (string? Ranker, double Threshold, HybridWeights? Weights) RankingOptions(JsonRequest request)
    {
        if (request.Object("ranking_options")?.Allow("ranker", "score_threshold", "hybrid_search") is not { } options)
        {
            return (null, 0, null);
        }

        var ranker = options.String("ranker");
        if (ranker is not (null or "auto" or "none" or "default-2024-11-15" or "llm"))
        {
            throw options.InvalidValue("ranker", $"'{ranker}' is not one of ['none', 'auto', 'default-2024-11-15', 'llm'].");
        }

        return (ranker, options.Number("score_threshold", 0, 1) ?? 0, HybridWeightsReader.Read(options));
    }
}
