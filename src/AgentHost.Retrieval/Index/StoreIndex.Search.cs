using AgentHost.Retrieval.Filters;
using AgentHost.Retrieval.Search;

namespace AgentHost.Retrieval.Index;

internal sealed partial class StoreIndex
{
    private const float K1 = 0.9f;
    private const float B = 0.4f;

    /// <summary>Ranks by dense similarity and by BM25 (each read <paramref name="depth"/> deep), then fuses.</summary>
    public List<Candidate> Search(ReadOnlySpan<float> queryVector, IReadOnlyList<string> queryTerms, FusionWeights weights, int depth, AttributeFilter? filter)
    {
        gate.EnterReadLock();
        try
        {
            var allowed = AllowedFiles(filter);
            var dense = weights.Embedding > 0 ? DenseTop(queryVector, depth, allowed) : [];
            var text = weights.Text > 0 ? TextTop(queryTerms, depth, allowed) : [];
            var fused = HybridFusion.Fuse(dense, text, weights);
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

    public ScoredSlot[] DenseTop(ReadOnlySpan<float> query, int k, bool[]? allowed)
    {
        var top = new TopK(k);
        var all = vectors.AsSpan();
        for (var slot = 0; slot < slotCount; slot++)
        {
            if (slotFiles[slot] is not { } file || (allowed is not null && !allowed[file.Ordinal]))
            {
                continue;
            }

            top.Offer(slot, Dot(all.Slice(slot * Dimensions, Dimensions), query));
        }

        return top.Drain();
    }

    public ScoredSlot[] TextTop(IReadOnlyList<string> queryTerms, int k, bool[]? allowed)
    {
        if (liveCount == 0 || queryTerms.Count == 0)
        {
            return [];
        }

        var scores = new float[slotCount];
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

        return top.Drain();
    }
}
