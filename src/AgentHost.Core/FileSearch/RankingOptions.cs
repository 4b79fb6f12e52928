using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Retrieval;

namespace AgentHost.Core.FileSearch;

/// <summary>A file_search tool's <c>ranking_options</c> as set on the assistant or run, with the original's defaults.</summary>
public sealed record RankingOptions(string Ranker, double ScoreThreshold, HybridWeights? Weights)
{
    /// <summary>The index knows the Responses-era names; the Assistants-era default ranker is its <c>auto</c>.</summary>
    public string EngineRanker => Ranker is FileSearchTool.DefaultRanker ? "auto" : Ranker;

    public static RankingOptions From(JsonElement? options)
    {
        if (options is not { ValueKind: JsonValueKind.Object } value)
        {
            return new(FileSearchTool.DefaultRanker, 0, null);
        }

        var ranker = value.TryGetProperty("ranker", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : FileSearchTool.DefaultRanker;
        var threshold = value.TryGetProperty("score_threshold", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : 0;
        HybridWeights? weights = null;
        if (value.TryGetProperty("hybrid_search", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            weights = new HybridWeights(
                h.TryGetProperty("embedding_weight", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 1,
                h.TryGetProperty("text_weight", out var x) && x.ValueKind == JsonValueKind.Number ? x.GetDouble() : 1);
        }

        return new(ranker, threshold, weights);
    }

    /// <summary>What a step records, as the original: <c>{"ranker", "score_threshold"}</c>.</summary>
    public JsonObject ForStep() => new() { ["ranker"] = Ranker, ["score_threshold"] = ScoreThreshold };
}
