using System.Diagnostics;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Embeddings;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// Search latency in one store of 100,000 chunks (1,000 files × 100), written through the repository and loaded
/// by the index as after a restart. Queries are CISI's, embedded by the local model.
/// </summary>
internal sealed class LatencyAtScale(RetrievalBench bench, Cisi cisi)
{
    private const string StoreId = "vs_scale";

    public async Task RunAsync(int files, int chunksPerFile, int iterations)
    {
        var corpus = new SyntheticCorpus(cisi);
        var watch = Stopwatch.StartNew();
        for (var f = 0; f < files; f++)
        {
            var chunks = Enumerable.Range(0, chunksPerFile).Select(i => corpus.Next(i, LocalModel.Dimensions)).ToArray();
            await bench.Repository.ReplaceFileAsync(StoreId, bench.Models.Default.Name, LocalModel.Dimensions, $"file-{f}", $"file-{f}.txt",
                new Dictionary<string, object?> { ["group"] = (double)(f % 10) }, chunks, CancellationToken.None);
        }

        Console.WriteLine($"  wrote {files * chunksPerFile} chunks to SQLite in {watch.Elapsed.TotalSeconds:F1} s");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var store = (await bench.Index.GetStoreAsync(StoreId, CancellationToken.None))!;
        var loaded = watch.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"  cold load into memory: {loaded.TotalSeconds:F1} s, {store.LiveChunks} chunks, managed heap +{(after - before) / 1048576.0:F0} MB");

        var queries = cisi.Queries.Select(q => q.Text).ToArray();
        var embedded = await bench.Models.EmbedQueriesAsync(bench.Models.Default, queries, CancellationToken.None);
        var embedTimes = new List<double>();
        var withEmbedding = new List<double>();
        var withoutEmbedding = new List<double>();
        var filtered = new List<double>();
        const string filter = """{"type":"in","key":"group","value":[1,2,3]}""";
        for (var i = -20; i < iterations; i++)
        {
            var q = ((i % queries.Length) + queries.Length) % queries.Length;
            var request = new SearchRequest([StoreId], [queries[q]], 10);
            var precomputed = new Dictionary<string, float[][]> { [bench.Models.Default.Name] = [embedded[q]] };

            var t0 = Stopwatch.GetTimestamp();
            await bench.Models.EmbedQueriesAsync(bench.Models.Default, [queries[q]], CancellationToken.None);
            var t1 = Stopwatch.GetTimestamp();
            await bench.Index.SearchAsync(request, CancellationToken.None);
            var t2 = Stopwatch.GetTimestamp();
            await bench.Index.SearchAsync(request, precomputed, CancellationToken.None);
            var t3 = Stopwatch.GetTimestamp();
            await bench.Index.SearchAsync(request with { Filter = System.Text.Json.JsonDocument.Parse(filter).RootElement }, precomputed, CancellationToken.None);
            var t4 = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                embedTimes.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                withEmbedding.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                withoutEmbedding.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                filtered.Add(Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds);
            }
        }

        var dense = new List<double>();
        var text = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < iterations; i++)
        {
            var q = i % queries.Length;
            var t0 = Stopwatch.GetTimestamp();
            store.DenseTop(embedded[q], 100, null);
            var t1 = Stopwatch.GetTimestamp();
            store.TextTop(AgentHost.Retrieval.Text.TermAnalyzer.Terms(queries[q]), 100, null);
            var t2 = Stopwatch.GetTimestamp();
            dense.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            text.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
        }

        var cpuPerSearch = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / iterations;
        Console.WriteLine($"  {"ms, " + iterations + " searches",-44} {"p50",8} {"p90",8} {"p99",8}");
        Print("dense scan alone (top 100)", dense);
        Print("BM25 alone (top 100)", text);
        Console.WriteLine($"  CPU per dense scan + BM25: {cpuPerSearch:F2} ms");
        Print("search incl. query embedding", withEmbedding);
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var given = new SearchRequest([StoreId], [queries[0]], 10);
        for (var i = 0; i < iterations; i++)
        {
            await bench.Index.SearchAsync(given with { Queries = [queries[i % queries.Length]] },
                new Dictionary<string, float[][]> { [bench.Models.Default.Name] = [embedded[i % queries.Length]] }, CancellationToken.None);
        }

        Console.WriteLine($"  CPU per search, query vector given: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / iterations:F2} ms");
        Print("search, query vector given", withoutEmbedding);
        Print("search, query vector given, filter (30%)", filtered);
        Print("query embedding alone", embedTimes);
    }

    private static void Print(string name, List<double> values)
    {
        values.Sort();
        double At(double p) => values[Math.Min(values.Count - 1, (int)(p * values.Count))];
        Console.WriteLine($"  {name,-44} {At(0.5),8:F2} {At(0.9),8:F2} {At(0.99),8:F2}");
    }
}
