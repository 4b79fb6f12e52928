using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// CISI through the real server: each document uploaded with <c>POST /v1/files</c>, all added to one vector store by
/// one file batch (attribute <c>doc_id</c>), ingested by the server's own worker, then every judged query sent to
/// <c>POST /v1/vector_stores/{id}/search</c>. Reports nDCG@10, HTTP search latency and ingestion throughput.
/// </summary>
internal sealed class HttpQualityScenario(BenchHost host, Cisi cisi)
{
    public async Task RunAsync(int latencyPasses)
    {
        var storeId = await PostAsync("/v1/vector_stores", """{"name":"cisi"}""");
        var watch = Stopwatch.StartNew();
        var fileIds = new string[cisi.Documents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cisi.Documents.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" } };
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(cisi.Documents[i].Text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "file", cisi.Documents[i].Id + ".txt");
            using var response = await host.Client.PostAsync(host.BaseUrl + "/v1/files", form, ct);
            fileIds[i] = await IdAsync(response);
        });
        Console.WriteLine($"  uploaded {fileIds.Length} files in {watch.Elapsed.TotalSeconds:F1} s");

        var files = fileIds.Select((id, i) => new Dictionary<string, object>
        {
            ["file_id"] = id,
            ["attributes"] = new Dictionary<string, string> { ["doc_id"] = cisi.Documents[i].Id },
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        var batchId = await PostAsync($"/v1/vector_stores/{storeId}/file_batches", JsonSerializer.Serialize(new { files }));
        JsonElement counts;
        while (true)
        {
            using var response = await host.Client.GetAsync($"{host.BaseUrl}/v1/vector_stores/{storeId}/file_batches/{batchId}");
            response.EnsureSuccessStatusCode();
            using var batch = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            if (batch.RootElement.GetProperty("status").GetString() != "in_progress")
            {
                counts = batch.RootElement.GetProperty("file_counts").Clone();
                break;
            }

            await Task.Delay(250);
        }

        var elapsed = watch.Elapsed;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var index = (VectorStoreIndex)host.Services.GetRequiredService<IVectorStoreIndex>();
        var chunks = (await index.GetStoreAsync(storeId, CancellationToken.None))!.LiveChunks;
        Console.WriteLine($"  ingestion through the file batch: {counts}; {chunks} chunks in {elapsed.TotalSeconds:F1} s = " +
            $"{chunks / elapsed.TotalSeconds:F1} chunks/s, {cpuMs / chunks:F1} ms CPU per chunk");

        foreach (var max in new[] { 10, 50 })
        {
            var total = 0.0;
            foreach (var query in cisi.Queries)
            {
                var ranked = await SearchAsync(storeId, query.Text, max);
                total += cisi.NdcgAt10(query.Id, ranked);
            }

            Console.WriteLine($"  nDCG@10 over {cisi.Queries.Count} queries, max_num_results {max}: {total / cisi.Queries.Count:F3}");
        }

        var latencies = new List<double>();
        for (var pass = 0; pass < latencyPasses; pass++)
        {
            foreach (var query in cisi.Queries)
            {
                var t0 = Stopwatch.GetTimestamp();
                await SearchAsync(storeId, query.Text, 10);
                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        latencies.Sort();
        double At(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        Console.WriteLine($"  HTTP search latency, {latencies.Count} searches (max_num_results 10): p50 {At(0.5):F2} ms, p90 {At(0.9):F2} ms, p99 {At(0.99):F2} ms");
    }

    /// <summary>The documents of the hits, best first, first occurrence wins (results are chunks).</summary>
    private async Task<List<string>> SearchAsync(string storeId, string query, int max)
    {
        var body = JsonSerializer.Serialize(new { query, max_num_results = max });
        using var response = await host.Client.PostAsync($"{host.BaseUrl}/v1/vector_stores/{storeId}/search", BenchHost.Json(body));
        response.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return [.. page.RootElement.GetProperty("data").EnumerateArray()
            .Select(hit => hit.GetProperty("attributes").GetProperty("doc_id").GetString()!).Distinct(StringComparer.Ordinal)];
    }

    private async Task<string> PostAsync(string path, string json) => (await host.PostJsonAsync(path, json)).GetProperty("id").GetString()!;

    private static async Task<string> IdAsync(HttpResponseMessage response) => (await BenchHost.ReadJsonAsync(response)).GetProperty("id").GetString()!;
}
