using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.FileSearch;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary>
/// A <c>file_search</c> tool's settings, echoed as the original did: <c>ranking_options</c> always present with
/// <c>ranker</c> (default <c>default_2024_08_21</c>), <c>score_threshold</c> (default 0) and <c>hybrid_search</c>
/// (null unless set: AgentHost's weights for the BM25 and embedding rankings).
/// </summary>
internal static class FileSearchToolSettings
{
    private static readonly string[] Rankers = ["auto", FileSearchTool.DefaultRanker, "default-2024-11-15", "none", "llm"];

    public static FileSearchSettings Read(JsonRequest? settings)
    {
        settings?.Allow("max_num_results", "ranking_options");
        var options = settings?.Object("ranking_options")?.Allow("ranker", "score_threshold", "hybrid_search");
        var ranker = options?.String("ranker") ?? FileSearchTool.DefaultRanker;
        if (!Rankers.Contains(ranker))
        {
            throw options!.InvalidValue("ranker", $"'{ranker}' is not one of ['auto', 'default_2024_08_21', 'default-2024-11-15', 'none', 'llm'].");
        }

        var weights = options is null ? null : HybridWeightsReader.Read(options);
        var echo = new JsonObject
        {
            ["ranker"] = ranker,
            ["score_threshold"] = options?.Number("score_threshold", 0, 1) ?? 0.0,
            ["hybrid_search"] = weights is null ? null : new JsonObject { ["embedding_weight"] = weights.EmbeddingWeight, ["text_weight"] = weights.TextWeight },
        };
        return new FileSearchSettings
        {
            MaxNumResults = settings?.Integer("max_num_results", 1, 50),
            RankingOptions = JsonSerializer.SerializeToElement(echo, ServerJsonContext.Default.JsonObject),
        };
    }
}
