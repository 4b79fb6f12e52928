using System.Diagnostics;
using AgentHost.Retrieval;
using AgentHost.Retrieval.Embeddings;

namespace AgentHost.Bench.Retrieval;

/// <summary>One query at a time through each local model, as a search embeds it, with 1 and 2 ONNX intra-op threads.</summary>
internal static class QueryEmbeddingScenario
{
    public static async Task RunAsync(Cisi cisi, int passes)
    {
        var queries = cisi.Queries.Select(q => q.Text).ToArray();
        Console.WriteLine($"  {"ms, " + (passes * queries.Length) + " single-query embeddings",-44} {"p50",8} {"p90",8} {"p99",8}");
        foreach (var (name, threads) in LocalModel.All.SelectMany(m => new[] { (m.Name, 1), (m.Name, 2), (m.Name, 1), (m.Name, 2) }))
        {
            using var models = new EmbeddingModels(Microsoft.Extensions.Options.Options.Create(new RetrievalOptions { EmbeddingThreads = threads }));
            var model = models.Resolve(name);
            for (var i = 0; i < 10; i++)
            {
                await models.EmbedQueriesAsync(model, [queries[i]], CancellationToken.None);
            }

            var times = new List<double>();
            for (var i = 0; i < passes * queries.Length; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await models.EmbedQueriesAsync(model, [queries[i % queries.Length]], CancellationToken.None);
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }

            times.Sort();
            double At(double p) => times[Math.Min(times.Count - 1, (int)(p * times.Count))];
            Console.WriteLine($"  {name + ", intra-op threads " + threads,-44} {At(0.5),8:F2} {At(0.9),8:F2} {At(0.99),8:F2}");
        }
    }
}
