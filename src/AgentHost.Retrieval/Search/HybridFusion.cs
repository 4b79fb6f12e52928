using AgentHost.Retrieval.Index;

namespace AgentHost.Retrieval.Search;

/// <summary>
/// Weighted reciprocal-rank fusion: a chunk at rank r (1-based) of a ranking earns weight / (K + r). The sum is
/// divided by what a chunk ranked first in both would earn, so scores lie in [0, 1] and 1 means "best in both".
/// </summary>
internal static class HybridFusion
{
    public static List<(int Slot, double Score)> Fuse(ScoredSlot[] dense, ScoredSlot[] text, FusionWeights weights)
    {
        var k = RankingDefaults.RrfK;
        var best = (weights.Embedding + weights.Text) / (k + 1);
        var scores = new Dictionary<int, double>(dense.Length + text.Length);
        Accumulate(scores, dense, weights.Embedding / best, k);
        Accumulate(scores, text, weights.Text / best, k);
        var fused = scores.Select(p => (p.Key, Math.Clamp(p.Value, 0, 1))).ToList();
        fused.Sort((a, b) => b.Item2.CompareTo(a.Item2));
        return fused;
    }

    private static void Accumulate(Dictionary<int, double> scores, ScoredSlot[] ranking, double weight, int k)
    {
        if (weight <= 0)
        {
            return;
        }

        for (var rank = 0; rank < ranking.Length; rank++)
        {
            var slot = ranking[rank].Slot;
            scores[slot] = scores.GetValueOrDefault(slot) + (weight / (k + rank + 1));
        }
    }
}
