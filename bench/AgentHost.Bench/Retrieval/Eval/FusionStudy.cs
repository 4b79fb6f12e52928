namespace AgentHost.Bench.Retrieval.Eval;

/// <summary>
/// Scores fusion and re-scoring methods on every collection from the stored rankings, and chooses with one
/// collection held out at a time: the method best on the others is scored on the held-out one.
/// </summary>
internal static class FusionStudy
{
    public static IReadOnlyList<FusionMethod> Grid()
    {
        var weights = new[] { 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };
        var grid = new List<FusionMethod>();
        foreach (var k in new[] { 5, 10, 20, 40, 60 })
        {
            grid.AddRange(weights.Select(w => FusionMethod.Rrf(k, w)));
        }

        grid.AddRange(weights.Select(FusionMethod.MinMax));
        grid.AddRange(weights.Select(FusionMethod.ZScore));
        foreach (var first in new[] { FusionMethod.Rrf(20, 0.8), FusionMethod.Rrf(60, 0.5) })
        {
            grid.AddRange(weights.Select(w => FusionMethod.Rescore(first, 50, w)));
        }

        return grid;
    }

    public static (double Ndcg, double Recall) Score(StoreRankings store, FusionMethod method)
    {
        double ndcg = 0, recall = 0;
        foreach (var query in store.Queries)
        {
            var documents = method.Rank(query).Select(query.DocumentOf).Distinct(StringComparer.Ordinal).Take(50).ToList();
            ndcg += store.Collection.NdcgAt10(query.QueryId, documents);
            recall += store.Collection.RecallAt50(query.QueryId, documents);
        }

        return (ndcg / store.Queries.Count, recall / store.Queries.Count);
    }

    public static void Run(IReadOnlyList<StoreRankings> stores)
    {
        var grid = Grid();
        foreach (var model in stores.Select(s => s.Model).Distinct())
        {
            var byCollection = stores.Where(s => s.Model == model).ToArray();
            var scores = grid.ToDictionary(m => m.Name, m => byCollection.Select(s => Score(s, m).Ndcg).ToArray());
            Console.WriteLine($"Fusion grid, {model} (nDCG@10 per collection: {string.Join(", ", byCollection.Select(s => s.Collection.Name))}):");
            foreach (var method in grid)
            {
                Console.WriteLine($"  {method.Name,-40} {string.Join("  ", scores[method.Name].Select(v => v.ToString("F3")))}   mean {scores[method.Name].Average():F3}");
            }

            for (var held = 0; held < byCollection.Length && byCollection.Length > 1; held++)
            {
                var h = held;
                var chosen = grid.MaxBy(m => scores[m.Name].Where((_, i) => i != h).Average())!;
                var baseline = Math.Max(Score(byCollection[h], FusionMethod.DenseOnly).Ndcg, Score(byCollection[h], FusionMethod.TextOnly).Ndcg);
                Console.WriteLine($"  held out {byCollection[h].Collection.Name}: chosen on the others {chosen.Name} → {scores[chosen.Name][h]:F3} " +
                    $"(better of dense and BM25 {baseline:F3})");
            }

            var overall = grid.MaxBy(m => scores[m.Name].Average())!;
            Console.WriteLine($"  best mean over all: {overall.Name} {string.Join(" / ", scores[overall.Name].Select(v => v.ToString("F3")))}");
        }
    }
}
