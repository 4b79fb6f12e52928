using AgentHost.Retrieval.Index;
using AgentHost.Retrieval.Text;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// Measures fusion methods and weights on CISI from one pass of both rankings per query: weighted RRF over several
/// K, and a convex combination of min–max-normalised scores. This is how the defaults were chosen.
/// </summary>
internal sealed class FusionGrid(RetrievalBench bench, Cisi cisi)
{
    private const int Depth = 100;

    public async Task RunAsync()
    {
        var store = (await bench.Index.GetStoreAsync(QualityScenario.StoreId, CancellationToken.None))!;
        var model = bench.Models.Resolve(store.ModelName);
        var vectors = await bench.Models.EmbedQueriesAsync(model, [.. cisi.Queries.Select(q => q.Text)], CancellationToken.None);
        var rankings = cisi.Queries.Select((q, i) => (
            Query: q.Id,
            Dense: store.DenseTop(vectors[i], Depth, null),
            Text: store.TextTop(TermAnalyzer.Terms(q.Text), Depth, null))).ToArray();

        string Doc(int slot) => store.FileAt(slot)!.FileId["doc-".Length..];
        double Mean(Func<ScoredSlot[], ScoredSlot[], IEnumerable<int>> fuse) =>
            rankings.Average(r => cisi.NdcgAt10(r.Query, [.. fuse(r.Dense, r.Text).Select(Doc).Distinct().Take(10)]));

        Console.WriteLine($"  dense only {Mean((d, _) => d.Select(s => s.Slot)):F3}; BM25 only {Mean((_, t) => t.Select(s => s.Slot)):F3}");
        var weights = new[] { 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95 };
        Console.WriteLine("  embedding weight:      " + string.Join("  ", weights.Select(w => $"{w:F2}")));
        foreach (var k in new[] { 5, 10, 20, 30, 60, 100 })
        {
            Console.WriteLine($"  RRF K={k,-3}             " + string.Join("  ", weights.Select(w => $"{Mean((d, t) => Rrf(d, t, w, k)):F3}")));
        }

        Console.WriteLine("  convex (min-max)       " + string.Join("  ", weights.Select(w => $"{Mean((d, t) => Convex(d, t, w)):F3}")));
    }

    private static IEnumerable<int> Rrf(ScoredSlot[] dense, ScoredSlot[] text, double w, int k)
    {
        var scores = new Dictionary<int, double>();
        for (var i = 0; i < dense.Length; i++)
        {
            scores[dense[i].Slot] = scores.GetValueOrDefault(dense[i].Slot) + (w / (k + i + 1));
        }

        for (var i = 0; i < text.Length; i++)
        {
            scores[text[i].Slot] = scores.GetValueOrDefault(text[i].Slot) + ((1 - w) / (k + i + 1));
        }

        return scores.OrderByDescending(p => p.Value).Select(p => p.Key);
    }

    private static IEnumerable<int> Convex(ScoredSlot[] dense, ScoredSlot[] text, double w)
    {
        var scores = new Dictionary<int, double>();
        Add(scores, dense, w);
        Add(scores, text, 1 - w);
        return scores.OrderByDescending(p => p.Value).Select(p => p.Key);
    }

    private static void Add(Dictionary<int, double> scores, ScoredSlot[] ranking, double weight)
    {
        if (ranking.Length == 0)
        {
            return;
        }

        var (max, min) = (ranking[0].Score, ranking[^1].Score);
        foreach (var s in ranking)
        {
            var normalized = max > min ? (s.Score - min) / (max - min) : 1;
            scores[s.Slot] = scores.GetValueOrDefault(s.Slot) + (weight * normalized);
        }
    }
}
