using AgentHost.Retrieval.Index;

namespace AgentHost.Bench.Retrieval.Eval;

/// <summary>A way to turn a query's two rankings into one list of chunk slots, best first.</summary>
internal sealed record FusionMethod(string Name, Func<QueryRankings, IEnumerable<int>> Rank)
{
    public const int Depth = 100;

    public static FusionMethod Rrf(int k, double w) => new($"rrf k={k} w={w:F2}", q => Fuse(q, (ranking, weight) => RrfScores(ranking, weight, k), w));

    public static FusionMethod MinMax(double w) => new($"minmax w={w:F2}", q => Fuse(q, MinMaxScores, w));

    public static FusionMethod ZScore(double w) => new($"zscore w={w:F2}", q => Fuse(q, ZScores, w));

    /// <summary>
    /// Second stage: the first <paramref name="candidates"/> of <paramref name="first"/> re-scored by a convex
    /// combination of their exact dense and BM25 scores, each min–max-normalised over the candidates (a candidate that
    /// only one list found still has the other score, unlike in rank fusion).
    /// </summary>
    public static FusionMethod Rescore(FusionMethod first, int candidates, double w) => new($"{first.Name} → rescore {candidates} w={w:F2}", q =>
    {
        var top = first.Rank(q).Take(candidates).ToArray();
        var dense = q.Dense.ToDictionary(s => s.Slot, s => (double)s.Score);
        var text = q.Text.ToDictionary(s => s.Slot, s => (double)s.Score);
        var d = Normalize(top.Select(s => dense.GetValueOrDefault(s)).ToArray());
        var t = Normalize(top.Select(s => text.GetValueOrDefault(s)).ToArray());
        return top.Select((slot, i) => (slot, score: (w * d[i]) + ((1 - w) * t[i]))).OrderByDescending(p => p.score).Select(p => p.slot)
            .Concat(first.Rank(q).Skip(candidates));
    });

    public static FusionMethod DenseOnly { get; } = new("dense", q => q.Dense.Select(s => s.Slot));

    public static FusionMethod TextOnly { get; } = new("bm25", q => q.Text.Select(s => s.Slot));

    private static IEnumerable<int> Fuse(QueryRankings q, Func<ScoredSlot[], double, Dictionary<int, double>> scores, double w)
    {
        var total = scores(q.Dense.Take(Depth).ToArray(), w);
        foreach (var (slot, score) in scores(q.Text.Take(Depth).ToArray(), 1 - w))
        {
            total[slot] = total.GetValueOrDefault(slot) + score;
        }

        return total.OrderByDescending(p => p.Value).Select(p => p.Key);
    }

    private static Dictionary<int, double> RrfScores(ScoredSlot[] ranking, double weight, int k) =>
        ranking.Select((s, rank) => (s.Slot, Score: weight / (k + rank + 1))).ToDictionary(p => p.Slot, p => p.Score);

    private static Dictionary<int, double> MinMaxScores(ScoredSlot[] ranking, double weight)
    {
        var normalized = Normalize([.. ranking.Select(s => (double)s.Score)]);
        return ranking.Select((s, i) => (s.Slot, Score: weight * normalized[i])).ToDictionary(p => p.Slot, p => p.Score);
    }

    private static Dictionary<int, double> ZScores(ScoredSlot[] ranking, double weight)
    {
        if (ranking.Length == 0)
        {
            return [];
        }

        var mean = ranking.Average(s => s.Score);
        var sd = Math.Sqrt(ranking.Average(s => (s.Score - mean) * (s.Score - mean)));
        return ranking.ToDictionary(s => s.Slot, s => weight * (sd > 0 ? (s.Score - mean) / sd : 0));
    }

    private static double[] Normalize(double[] values)
    {
        if (values.Length == 0)
        {
            return values;
        }

        var (min, max) = (values.Min(), values.Max());
        return [.. values.Select(v => max > min ? (v - min) / (max - min) : 1)];
    }
}
