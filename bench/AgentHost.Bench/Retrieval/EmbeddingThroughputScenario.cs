using System.Diagnostics;
using System.Numerics.Tensors;
using AgentHost.Retrieval;
using AgentHost.Retrieval.Chunking;
using AgentHost.Retrieval.Embeddings;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// <c>--scenario retrieval-ingest</c>: the local models' embedding of CISI's auto chunks (200 o200k tokens) alone, as
/// ingestion runs it, under several inference settings: float32 or int8 weights, intra-op threads, and one call or
/// two concurrent calls. Reports CPU ms per chunk (the steady figure on a shared machine), chunks/s, and how close the
/// vectors are to the float32 ones (mean and minimum cosine).
/// </summary>
internal static class EmbeddingThroughputScenario
{
    public static async Task RunAsync(Cisi cisi, int chunkCount, string models)
    {
        var texts = cisi.Documents.SelectMany(d => TextChunker.Chunk(d.Text, 200, 50)).Select(c => c.Text).Take(chunkCount).ToArray();
        Console.WriteLine($"  {texts.Length} CISI chunks; settings: weights, intra-op threads × concurrent calls");
        Console.WriteLine($"  {"model, setting",-52} {"chunks/s",9} {"CPU ms/chunk",13} {"cos mean",9} {"cos min",8}");
        foreach (var name in models.Split(','))
        {
            float[][]? reference = null;
            foreach (var (int8, threads, concurrent) in new[] { (false, 2, 1), (false, 1, 2), (true, 2, 1), (true, 1, 2), (false, 2, 1), (true, 1, 2) })
            {
                using var embedders = new EmbeddingModels(Microsoft.Extensions.Options.Options.Create(new RetrievalOptions { EmbeddingThreads = threads, EmbeddingInt8 = int8 }));
                var model = embedders.Resolve(name);
                await embedders.EmbedAsync(model, texts[..8], CancellationToken.None);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var parts = Enumerable.Range(0, concurrent).Select(p => texts.Where((_, i) => i % concurrent == p).ToArray()).ToArray();
                var results = await Task.WhenAll(parts.Select(part => embedders.EmbedAsync(model, part, CancellationToken.None)));
                var elapsed = watch.Elapsed.TotalSeconds;
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                var vectors = new float[texts.Length][];
                for (var p = 0; p < concurrent; p++)
                {
                    for (var j = 0; j < results[p].Length; j++)
                    {
                        vectors[(j * concurrent) + p] = results[p][j];
                    }
                }

                reference ??= vectors;
                var cosines = vectors.Select((v, i) => TensorPrimitives.Dot(v, reference[i])).ToArray();
                Console.WriteLine($"  {$"{name}, {(int8 ? "int8" : "float32")}, {threads} thread(s) × {concurrent}",-52} {texts.Length / elapsed,9:F1} {cpuMs / texts.Length,13:F1} {cosines.Average(),9:F4} {cosines.Min(),8:F4}");
            }
        }
    }
}
