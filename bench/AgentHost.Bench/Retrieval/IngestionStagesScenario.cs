using System.Diagnostics;
using System.Text;
using AgentHost.Core.Retrieval;
using AgentHost.Ingestion;
using AgentHost.Retrieval;
using AgentHost.Retrieval.Chunking;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Index;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// <c>--scenario retrieval-stages</c>: where an ingested chunk's CPU goes, stage by stage, in-process and one stage
/// at a time over the same long .txt and .pdf files as <c>retrieval-pipeline</c>: text extraction, chunking (o200k
/// tokens), WordPiece ids, ONNX inference (the encoder's own batches), the index rows (BM25 analysis, int8 codes)
/// with the SQLite transaction, and the in-memory index. Then the model's floor: ONNX alone on those chunks by
/// batch size and intra-op threads.
/// </summary>
internal static class IngestionStagesScenario
{
    public static async Task RunAsync(Cisi cisi, int longFiles)
    {
        var groups = cisi.Documents.Chunk(20).Take(longFiles).Select(g => string.Join("\n\n", g.Select(d => d.Text))).ToArray();
        var directory = Directory.CreateTempSubdirectory("agenthost-stages-").FullName;
        try
        {
            using var bench = new RetrievalBench(directory);
            var extractor = new DocumentTextExtractor(new ExtractionLimits(), TimeProvider.System);
            var encoder = ((LocalEmbeddingGenerator)bench.Models.Default.Generator).Encoder;
            encoder.Encode(["warm up"], CancellationToken.None);
            foreach (var (kind, files) in new[]
            {
                ("txt", groups.Select(g => (Name: "f.txt", Bytes: Encoding.UTF8.GetBytes(g))).ToArray()),
                ("pdf", groups.Select(g => (Name: "f.pdf", Bytes: IngestionPipelineScenario.Pdf(g))).ToArray()),
            })
            {
                var stages = new Dictionary<string, (double Cpu, double Wall)>();
                var chunkCount = 0;
                for (var f = 0; f < files.Length; f++)
                {
                    var text = await Time(stages, "extract", () => extractor.ExtractAsync(files[f].Name, new MemoryStream(files[f].Bytes), CancellationToken.None));
                    var pieces = await Time(stages, "chunk (o200k)", () => Task.FromResult(TextChunker.Chunk(text, 200, 50)));
                    var ids = await Time(stages, "WordPiece ids", () => Task.FromResult(pieces.Select(p => encoder.Tokenize(p.Text)).ToArray()));
                    var vectors = await Time(stages, "ONNX inference", () => Task.FromResult(encoder.Encode(ids, CancellationToken.None)));
                    var chunks = pieces.Select((p, i) => new IndexedChunk(p.Index, p.Text, p.TokenCount, vectors[i])).ToArray();
                    var attributes = new Dictionary<string, object?>();
                    await Time(stages, "index rows + SQLite", async () =>
                    {
                        await bench.Repository.ReplaceFileAsync("vs_" + kind, bench.Models.Default.Name, LocalModel.Dimensions, $"file-{f}", files[f].Name,
                            attributes, chunks, CancellationToken.None);
                        return 0;
                    });
                    var store = new StoreIndex(bench.Models.Default.Name, LocalModel.Dimensions);
                    await Time(stages, "memory index", () =>
                    {
                        store.AddFile($"file-{f}", files[f].Name, attributes, chunks);
                        return Task.FromResult(0);
                    });
                    chunkCount += chunks.Length;
                }

                var total = stages.Values.Sum(s => s.Cpu);
                Console.WriteLine($"  {kind}: {files.Length} files, {chunkCount} chunks, {total / chunkCount:F2} CPU ms per chunk in all (load {IngestionPipelineScenario.LoadAverage()})");
                foreach (var (stage, (cpu, wall)) in stages)
                {
                    Console.WriteLine($"    {stage,-22} {cpu / chunkCount,7:F2} CPU ms/chunk {wall / chunkCount,7:F2} wall ms/chunk {100 * cpu / total,5:F1}%");
                }
            }

            var texts = groups.SelectMany(g => TextChunker.Chunk(g, 200, 50)).Select(c => c.Text).ToArray();
            await FloorAsync(texts);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>ONNX alone over the chunks: batch size × intra-op threads × concurrent runs, int8 weights.</summary>
    private static async Task FloorAsync(string[] texts)
    {
        Console.WriteLine($"  the model's floor over {texts.Length} chunks (int8 weights, WordPiece ids precomputed):");
        foreach (var (batch, threads, concurrent) in new[] { (32, 2, 1), (8, 2, 1), (1, 2, 1), (32, 1, 2), (8, 1, 2), (4, 1, 2), (2, 1, 2), (1, 1, 2), (4, 1, 1) })
        {
            using var models = new EmbeddingModels(Microsoft.Extensions.Options.Options.Create(new RetrievalOptions
            {
                EmbeddingThreads = threads,
                EmbeddingBatchSize = batch,
                EmbeddingBatchTokens = batch * 256,
            }));
            // The documents' session has one thread; the queries' session has EmbeddingThreads.
            var generator = (LocalEmbeddingGenerator)models.Default.Generator;
            var encoder = threads == 1 ? generator.Encoder : generator.QueryEncoder;
            var ids = texts.Select(encoder.Tokenize).ToArray();
            encoder.Encode(ids[..8], CancellationToken.None);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrent).Select(p => Task.Run(() =>
                encoder.Encode(ids.Where((_, i) => i % concurrent == p).ToArray(), CancellationToken.None))));
            var elapsed = watch.Elapsed.TotalSeconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine($"    batch {batch,2}, {threads} thread(s) × {concurrent} run(s): {texts.Length / elapsed,6:F1} chunks/s {cpuMs / texts.Length,6:F2} CPU ms/chunk (load {IngestionPipelineScenario.LoadAverage()})");
        }
    }

    private static async Task<T> Time<T>(Dictionary<string, (double Cpu, double Wall)> stages, string stage, Func<Task<T>> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var result = await work();
        var spent = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        stages[stage] = stages.TryGetValue(stage, out var sum) ? (sum.Cpu + spent, sum.Wall + wall) : (spent, wall);
        return result;
    }
}
