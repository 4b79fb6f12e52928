using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Text;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench.Retrieval.Eval;

/// <summary>
/// The evaluation harness (<c>--scenario retrieval-eval</c>): for every collection in shared/retrieval-eval and every
/// local model, the documents uploaded with <c>POST /v1/files</c>, one vector store per model (<c>embedding_model</c>)
/// filled by one file batch and the server's own ingestion worker, then every judged query sent to
/// <c>POST /v1/vector_stores/{id}/search</c> as BM25 alone, dense alone and the default fusion. Then the fusion study
/// over the same stores' full rankings, with leave-one-collection-out choice.
/// </summary>
internal sealed class EvalScenario(BenchHost host, IReadOnlyList<string> models)
{
    private static readonly (string Name, string? RankingOptions)[] Modes =
    [
        ("bm25", """{"hybrid_search":{"embedding_weight":0,"text_weight":1}}"""),
        ("dense", """{"hybrid_search":{"embedding_weight":1,"text_weight":0}}"""),
        ("fused, ranker none", """{"ranker":"none"}"""),
        ("fused + second stage (default)", null),
    ];

    public async Task RunAsync(IReadOnlyList<EvalCollection> collections)
    {
        var rankings = new List<StoreRankings>();
        var table = new List<string>();
        foreach (var collection in collections)
        {
            Console.WriteLine($"{collection.Name}: {collection.Documents.Count} documents, {collection.Queries.Count} judged queries");
            var fileIds = await UploadAsync(collection);
            var docOf = fileIds.Select((id, i) => (id, collection.Documents[i].Id)).ToDictionary(p => p.id, p => p.Item2, StringComparer.Ordinal);
            foreach (var model in models)
            {
                var storeId = await IngestAsync(collection, model, fileIds);
                foreach (var (mode, ranking) in Modes)
                {
                    if (mode == "bm25" && model != models[0])
                    {
                        continue;
                    }

                    var (ndcg, recall, latency) = await EvaluateAsync(collection, storeId, ranking);
                    var row = $"| {collection.Name} | {(mode == "bm25" ? "—" : model)} | {mode} | {ndcg:F3} | {recall:F3} | {latency:F1} |";
                    table.Add(row);
                    Console.WriteLine("  " + row);
                }

                rankings.Add(await RankingsAsync(collection, model, storeId, docOf, withPrefix: true));
                if (host.Services.GetRequiredService<EmbeddingModels>().Resolve(model).QueryPrefix is not null)
                {
                    rankings.Add(await RankingsAsync(collection, model, storeId, docOf, withPrefix: false));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| Collection | Model | Ranking | nDCG@10 | recall@50 | HTTP search p50 ms |");
        Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: |");
        table.ForEach(Console.WriteLine);
        Console.WriteLine();
        FusionStudy.Run(rankings);
    }

    private async Task<string[]> UploadAsync(EvalCollection collection)
    {
        var watch = Stopwatch.StartNew();
        var fileIds = new string[collection.Documents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, fileIds.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" } };
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(collection.Documents[i].Text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "file", collection.Documents[i].Id + ".txt");
            using var response = await host.Client.PostAsync(host.BaseUrl + "/v1/files", form, ct);
            fileIds[i] = (await ReadAsync(response)).GetProperty("id").GetString()!;
        });
        Console.WriteLine($"  uploaded {fileIds.Length} files in {watch.Elapsed.TotalSeconds:F1} s");
        return fileIds;
    }

    /// <summary>One store with <paramref name="model"/>, all files in one batch; polls until done and reports the rate.</summary>
    private async Task<string> IngestAsync(EvalCollection collection, string model, string[] fileIds)
    {
        var storeId = (await PostAsync("/v1/vector_stores", JsonSerializer.Serialize(new { name = collection.Name, embedding_model = model }))).GetProperty("id").GetString()!;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var files = fileIds.Select((id, i) => new { file_id = id, attributes = new { doc_id = collection.Documents[i].Id } });
        var batchId = (await PostAsync($"/v1/vector_stores/{storeId}/file_batches", JsonSerializer.Serialize(new { files }))).GetProperty("id").GetString()!;
        var progress = new SortedSet<int>();
        JsonElement batch;
        while (true)
        {
            using var response = await host.Client.GetAsync($"{host.BaseUrl}/v1/vector_stores/{storeId}/file_batches/{batchId}");
            batch = await ReadAsync(response);
            progress.Add(batch.GetProperty("file_counts").GetProperty("completed").GetInt32());
            if (batch.GetProperty("status").GetString() != "in_progress")
            {
                break;
            }

            await Task.Delay(250);
        }

        var elapsed = watch.Elapsed;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var index = host.Services.GetRequiredService<VectorStoreIndex>();
        var chunks = (await index.GetStoreAsync(storeId, CancellationToken.None))!.LiveChunks;
        Console.WriteLine($"  {model}: {batch.GetProperty("file_counts")}; {chunks} chunks in {elapsed.TotalSeconds:F1} s = " +
            $"{chunks / elapsed.TotalSeconds:F1} chunks/s, {cpuMs / chunks:F1} ms CPU per chunk; completed count seen at {progress.Count} values while polling");
        return storeId;
    }

    private async Task<(double Ndcg, double Recall, double P50)> EvaluateAsync(EvalCollection collection, string storeId, string? rankingOptions)
    {
        double ndcg = 0, recall = 0;
        var latencies = new List<double>();
        foreach (var query in collection.Queries)
        {
            var body = $$"""{"query":{{JsonSerializer.Serialize(query.Text)}},"max_num_results":50{{(rankingOptions is null ? "" : ",\"ranking_options\":" + rankingOptions)}}}""";
            var t0 = Stopwatch.GetTimestamp();
            using var response = await host.Client.PostAsync($"{host.BaseUrl}/v1/vector_stores/{storeId}/search", BenchHost.Json(body));
            var page = await ReadAsync(response);
            latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            var documents = page.GetProperty("data").EnumerateArray()
                .Select(hit => hit.GetProperty("attributes").GetProperty("doc_id").GetString()!).Distinct(StringComparer.Ordinal).ToList();
            ndcg += collection.NdcgAt10(query.Id, documents);
            recall += collection.RecallAt50(query.Id, documents);
        }

        latencies.Sort();
        return (ndcg / collection.Queries.Count, recall / collection.Queries.Count, latencies[latencies.Count / 2]);
    }

    /// <summary>Every query's full dense and BM25 rankings over the store, read from the server's own index.</summary>
    private async Task<StoreRankings> RankingsAsync(EvalCollection collection, string model, string storeId, Dictionary<string, string> docOf, bool withPrefix)
    {
        var index = host.Services.GetRequiredService<VectorStoreIndex>();
        var embeddings = host.Services.GetRequiredService<EmbeddingModels>();
        var store = (await index.GetStoreAsync(storeId, CancellationToken.None))!;
        string[] texts = [.. collection.Queries.Select(q => q.Text)];
        var vectors = withPrefix
            ? await embeddings.EmbedQueriesAsync(embeddings.Resolve(model), texts, CancellationToken.None)
            : await embeddings.EmbedAsync(embeddings.Resolve(model), texts, CancellationToken.None);
        var all = store.LiveChunks;
        var queries = collection.Queries.Select((q, i) => new QueryRankings(q.Id, store.DenseTop(vectors[i], all, null),
            store.TextTop(TermAnalyzer.Terms(q.Text), all, null), slot => docOf[store.FileAt(slot)!.FileId])).ToArray();
        return new StoreRankings(collection, withPrefix ? model : model + " (queries without prefix)", queries);
    }

    private Task<JsonElement> PostAsync(string path, string json) => host.PostJsonAsync(path, json);

    private static Task<JsonElement> ReadAsync(HttpResponseMessage response) => BenchHost.ReadJsonAsync(response);
}
