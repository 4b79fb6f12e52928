using AgentHost.Core.Retrieval;

namespace AgentHost.Bench.Retrieval;

/// <summary>The <c>retrieval</c> scenario: CISI quality and ingestion, then search latency at 100,000 chunks.</summary>
internal static class RetrievalScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        var cisi = Cisi.Load();
        if (options.Scenario is "retrieval-scale")
        {
            await RunScaleAsync(options, cisi);
            return;
        }

        var directory = options.RetrievalDir ?? Path.Combine(Path.GetTempPath(), "agenthost-bench-retrieval-" + Guid.NewGuid().ToString("N"));
        var fresh = !File.Exists(Path.Combine(directory, "agenthost.db"));
        using var bench = new RetrievalBench(directory);
        var quality = new QualityScenario(bench, cisi);
        if (fresh)
        {
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var (chunks, elapsed) = await quality.IngestAsync(ChunkingStrategy.Auto);
            var cpuPerChunk = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / chunks;
            Console.WriteLine($"CISI ingestion: {cisi.Documents.Count} files, {chunks} chunks in {elapsed.TotalSeconds:F1} s = {chunks / elapsed.TotalSeconds:F1} chunks/s, {cpuPerChunk:F1} ms CPU per chunk");
        }

        Console.WriteLine("Fusion grid (nDCG@10, rankings read 100 deep):");
        await new FusionGrid(bench, cisi).RunAsync();
        Console.WriteLine($"CISI nDCG@10 over {cisi.Queries.Count} queries:");
        foreach (var weights in new HybridWeights[] { new(0, 1), new(1, 0), new(0.7, 0.3), new(0.5, 0.5), new(0.6, 0.4), new(0.8, 0.2), new(0.9, 0.1) })
        {
            Console.WriteLine($"  embedding {weights.EmbeddingWeight:F1} / text {weights.TextWeight:F1}: {await quality.EvaluateAsync(weights):F3}");
        }

        await RunScaleAsync(options, cisi);
    }

    private static async Task RunScaleAsync(BenchOptions options, Cisi cisi)
    {
        Console.WriteLine("Search latency at 100,000 chunks:");
        var scaleDirectory = Path.Combine(Path.GetTempPath(), "agenthost-bench-scale-" + Guid.NewGuid().ToString("N"));
        using (var scale = new RetrievalBench(scaleDirectory))
        {
            await new LatencyAtScale(scale, cisi).RunAsync(files: 1000, chunksPerFile: 100, iterations: options.Iterations);
        }

        Directory.Delete(scaleDirectory, recursive: true);
    }
}
