using System.Diagnostics;
using AgentHost.Core.Retrieval;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// nDCG@10 on CISI through <see cref="IVectorStoreIndex"/>: each document is one file of one store; a query's chunk
/// hits map back to documents (first occurrence wins). Also reports ingestion throughput.
/// </summary>
internal sealed class QualityScenario(RetrievalBench bench, Cisi cisi)
{
    public const string StoreId = "vs_cisi";

    public async Task<(int Chunks, TimeSpan Elapsed)> IngestAsync(ChunkingStrategy chunking)
    {
        var watch = Stopwatch.StartNew();
        var chunks = 0;
        const int parallel = 4;
        await Parallel.ForEachAsync(cisi.Documents, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (doc, ct) =>
        {
            var indexed = await bench.Index.IndexFileAsync(new IndexFileRequest(StoreId, "doc-" + doc.Id, doc.Id + ".txt", doc.Text, chunking,
                new Dictionary<string, object?> { ["doc"] = doc.Id }, null), ct);
            Interlocked.Add(ref chunks, indexed.ChunkCount);
        });
        return (chunks, watch.Elapsed);
    }

    public async Task<double> EvaluateAsync(HybridWeights weights)
    {
        var total = 0.0;
        foreach (var query in cisi.Queries)
        {
            var hits = await bench.Index.SearchAsync(new SearchRequest([StoreId], [query.Text], 50, 0, weights), CancellationToken.None);
            var ranked = hits.Select(h => h.FileId["doc-".Length..]).Distinct(StringComparer.Ordinal).ToList();
            total += cisi.NdcgAt10(query.Id, ranked);
        }

        return total / cisi.Queries.Count;
    }
}
