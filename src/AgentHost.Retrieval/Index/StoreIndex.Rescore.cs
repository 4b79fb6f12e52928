using AgentHost.Retrieval.Search;

namespace AgentHost.Retrieval.Index;

internal sealed partial class StoreIndex
{
    /// <summary>
    /// The second stage: the first <paramref name="candidates"/> of the fused list re-scored by a convex combination of
    /// their exact dense similarity and exact BM25 score, each min–max-normalised over those candidates. Unlike rank
    /// fusion, a chunk that only one ranking read deep enough to find still gets its score from the other. Scores stay
    /// in [0, 1]; the rest of the list keeps its order below them. Called under the read lock.
    /// </summary>
    private List<(int Slot, double Score)> Rescore(List<(int Slot, double Score)> fused, ReadOnlySpan<float> queryVector,
        IReadOnlyList<string> queryTerms, double embeddingWeight, int candidates)
    {
        var count = Math.Min(candidates, fused.Count);
        if (count < 2)
        {
            return fused;
        }

        var queryCodes = new sbyte[Dimensions];
        var queryScale = QuantizedVectors.Quantize(queryVector, queryCodes);
        var widened = QuantizedVectors.Widen(queryCodes);
        var idf = QueryIdf(queryTerms);
        var averageLength = Math.Max(1f, (float)liveLength / Math.Max(1, liveCount));
        var dense = new double[count];
        var text = new double[count];
        for (var i = 0; i < count; i++)
        {
            var slot = fused[i].Slot;
            dense[i] = QuantizedVectors.Dot(codes.AsSpan(slot * Dimensions, Dimensions), widened) * scales[slot] * queryScale;
            text[i] = Bm25(slot, idf, averageLength);
        }

        Normalize(dense);
        Normalize(text);
        var rescored = new List<(int Slot, double Score)>(fused.Count);
        for (var i = 0; i < count; i++)
        {
            rescored.Add((fused[i].Slot, (embeddingWeight * dense[i]) + ((1 - embeddingWeight) * text[i])));
        }

        rescored.Sort((a, b) => b.Score.CompareTo(a.Score));
        // Below the re-scored candidates, the rest keep their fused order, with scores under the lowest re-scored one.
        var floor = Math.Min(rescored[^1].Score, fused[count - 1].Score);
        for (var i = count; i < fused.Count; i++)
        {
            rescored.Add((fused[i].Slot, Math.Min(fused[i].Score, floor)));
        }

        return rescored;
    }

    private Dictionary<int, float> QueryIdf(IReadOnlyList<string> queryTerms)
    {
        var idf = new Dictionary<int, float>();
        foreach (var term in queryTerms)
        {
            if (termIds.TryGetValue(term, out var id) && postings[id].DocumentFrequency > 0 && !idf.ContainsKey(id))
            {
                var df = postings[id].DocumentFrequency;
                idf[id] = MathF.Log(1f + ((liveCount - df + 0.5f) / (df + 0.5f)));
            }
        }

        return idf;
    }

    /// <summary>The same BM25 as <see cref="TextTop"/>, for one chunk.</summary>
    private float Bm25(int slot, Dictionary<int, float> idf, float averageLength)
    {
        var score = 0f;
        var terms = slotTerms[slot];
        var frequencies = slotFrequencies[slot];
        var norm = K1 * (1f - B + (B * slotLengths[slot] / averageLength));
        for (var i = 0; i < terms.Length; i++)
        {
            if (idf.TryGetValue(terms[i], out var weight))
            {
                float tf = frequencies[i];
                score += weight * tf * (K1 + 1f) / (tf + norm);
            }
        }

        return score;
    }

    private static void Normalize(double[] values)
    {
        var (min, max) = (values.Min(), values.Max());
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = max > min ? (values[i] - min) / (max - min) : 1;
        }
    }
}
