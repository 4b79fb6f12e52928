using AgentHost.Core.Retrieval;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary><c>ranking_options.hybrid_search</c>: <c>{"embedding_weight", "text_weight"}</c>, each ≥ 0, not both 0.</summary>
internal static class HybridWeightsReader
{
    public static HybridWeights? Read(JsonRequest rankingOptions)
    {
        if (rankingOptions.Object("hybrid_search")?.Allow("embedding_weight", "text_weight") is not { } hybrid)
        {
            return null;
        }

        var embedding = hybrid.Number("embedding_weight", 0, double.MaxValue) ?? 1;
        var text = hybrid.Number("text_weight", 0, double.MaxValue) ?? 1;
        return embedding + text > 0 ? new HybridWeights(embedding, text) : throw hybrid.InvalidValue("embedding_weight", "the two weights cannot both be 0.");
    }
}
