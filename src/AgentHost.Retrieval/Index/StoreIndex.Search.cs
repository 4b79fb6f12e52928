using System.Buffers;
using AgentHost.Retrieval.Filters;
using AgentHost.Retrieval.Search;

namespace AgentHost.Retrieval.Index;

internal sealed partial class StoreIndex
{
    private const float K1 = 0.9f;
    private const float B = 0.4f;

    /// <summary>
    /// Ranks by dense similarity and by BM25 (each read <paramref name="depth"/> deep), fuses, then, when
    /// <paramref name="secondStage"/> is set, re-scores the best fused candidates (<see cref="Rescore"/>).
    /// </summary>
    public List<Candidate> Search(ReadOnlySpan<float> queryVector, IReadOnlyList<string> queryTerms, FusionWeights weights, int depth, AttributeFilter? filter,
        SecondStage? secondStage = null)
    {
        gate.EnterReadLock();
        try
        {
            var allowed = AllowedFiles(filter);
            var dense = weights.Embedding > 0 ? DenseTop(queryVector, depth, allowed) : [];
            var text = weights.Text > 0 ? TextTop(queryTerms, depth, allowed) : [];
            var fused = HybridFusion.Fuse(dense, text, weights);
            if (secondStage is { } stage)
            {
                fused = Rescore(fused, queryVector, queryTerms, stage.EmbeddingWeight, stage.Candidates);
            }
            var result = new List<Candidate>(fused.Count);
            foreach (var (slot, score) in fused)
            {
                result.Add(new Candidate(slotFiles[slot]!, slotChunks[slot], score));
            }

            return result;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The file owning a slot returned by <see cref="DenseTop"/> or <see cref="TextTop"/> (diagnostics and benchmarks).</summary>
    public FileEntry? FileAt(int slot) => slotFiles[slot];

    /// <summary>Null when every file passes; otherwise a flag per file ordinal.</summary>
    private bool[]? AllowedFiles(AttributeFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var allowed = new bool[nextOrdinal];
        foreach (var file in files.Values)
        {
            allowed[file.Ordinal] = filter.Matches(file.Attributes);
        }

        return allowed;
    }

    /// <summary>The k slots most similar to <paramref name="query"/>; large stores are scanned in parallel partitions.</summary>
    public ScoredSlot[] DenseTop(ReadOnlySpan<float> query, int k, bool[]? allowed)
    {
        var queryCodes = new sbyte[Dimensions];
        var queryScale = QuantizedVectors.Quantize(query, queryCodes);
        var widened = QuantizedVectors.Widen(queryCodes);
        var partitions = slotCount >= ParallelScanThreshold ? Math.Min(Environment.ProcessorCount, 8) : 1;
        if (partitions == 1)
        {
            return ScanRange(widened, queryScale, k, allowed, 0, slotCount).Drain();
        }

        var tops = new TopK[partitions];
        var size = (slotCount + partitions - 1) / partitions;
        Parallel.For(0, partitions, p => tops[p] = ScanRange(widened, queryScale, k, allowed, p * size, Math.Min(slotCount, (p + 1) * size)));
        var merged = new TopK(k);
        foreach (var top in tops)
        {
            foreach (var scored in top.Drain())
            {
                merged.Offer(scored.Slot, scored.Score);
            }
        }

        return merged.Drain();
    }

    private const int ParallelScanThreshold = 32_768;

    private TopK ScanRange(short[] query, float queryScale, int k, bool[]? allowed, int from, int to)
    {
        var top = new TopK(k);
        var all = codes.AsSpan();
        for (var slot = from; slot < to; slot++)
        {
            if (slotFiles[slot] is not { } file || (allowed is not null && !allowed[file.Ordinal]))
            {
                continue;
            }

            top.Offer(slot, QuantizedVectors.Dot(all.Slice(slot * Dimensions, Dimensions), query) * scales[slot] * queryScale);
        }

        return top;
    }

    public ScoredSlot[] TextTop(IReadOnlyList<string> queryTerms, int k, bool[]? allowed)
    {
        if (liveCount == 0 || queryTerms.Count == 0)
        {
            return [];
        }

        // Pooled: a fresh array per query would be a large-object allocation at 100k chunks.
        var scores = ArrayPool<float>.Shared.Rent(slotCount);
        Array.Clear(scores, 0, slotCount);
        var touched = new List<int>();
        var averageLength = Math.Max(1f, (float)liveLength / liveCount);
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!termIds.TryGetValue(term, out var id) || postings[id].DocumentFrequency == 0)
            {
                continue;
            }

            var list = postings[id];
            var idf = MathF.Log(1f + ((liveCount - list.DocumentFrequency + 0.5f) / (list.DocumentFrequency + 0.5f)));
            var slots = list.Slots;
            var frequencies = list.Frequencies;
            for (var i = 0; i < slots.Length; i++)
            {
                var slot = slots[i];
                if (slotFiles[slot] is not { } file || (allowed is not null && !allowed[file.Ordinal]))
                {
                    continue;
                }

                float tf = frequencies[i];
                var norm = K1 * (1f - B + (B * slotLengths[slot] / averageLength));
                if (scores[slot] == 0)
                {
                    touched.Add(slot);
                }

                scores[slot] += idf * tf * (K1 + 1f) / (tf + norm);
            }
        }

        var top = new TopK(k);
        foreach (var slot in touched)
        {
            top.Offer(slot, scores[slot]);
        }

        ArrayPool<float>.Shared.Return(scores);
        return top.Drain();
    }
}
