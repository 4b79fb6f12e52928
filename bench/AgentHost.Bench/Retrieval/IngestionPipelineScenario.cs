using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// <c>--scenario retrieval-pipeline</c>: ingestion through the real server (upload, one file batch, the server's own
/// worker, the index, SQLite), for three corpora built from CISI: its 1,460 abstracts as one small text file each
/// (the 2026-11-25 figure of 21 chunks/s), long text files and long PDFs (CISI abstracts in order, about 20 chunks of
/// 200 tokens each). Per corpus: chunks/s, CPU ms per chunk (the process's CPU: server, client and worker), how many
/// distinct <c>file_counts.completed</c> values polling saw (progress), and the load average around the run.
/// </summary>
internal sealed class IngestionPipelineScenario(BenchHost host, Cisi cisi)
{
    private const int DocumentsPerLongFile = 20;

    public async Task RunAsync(int longFiles)
    {
        var small = cisi.Documents.Select(d => (Name: d.Id + ".txt", Bytes: Encoding.UTF8.GetBytes(d.Text), Type: "text/plain")).ToArray();
        var groups = cisi.Documents.Chunk(DocumentsPerLongFile).Take(longFiles)
            .Select((g, i) => (Index: i, Text: string.Join("\n\n", g.Select(d => d.Text)))).ToArray();
        var text = groups.Select(g => (Name: $"long-{g.Index}.txt", Bytes: Encoding.UTF8.GetBytes(g.Text), Type: "text/plain")).ToArray();
        var pdf = groups.Select(g => (Name: $"long-{g.Index}.pdf", Bytes: Pdf(g.Text), Type: "application/pdf")).ToArray();

        Console.WriteLine($"  {"corpus",-34} {"files",6} {"chunks",7} {"seconds",8} {"chunks/s",9} {"CPU ms/chunk",13} {"progress steps",15} {"load before/after",18}");
        foreach (var (name, files) in new[] { ("CISI abstracts, one .txt each", small), ("long .txt (~20 chunks each)", text), ("long .pdf (~20 chunks each)", pdf) })
        {
            await IngestAsync(name, files);
        }
    }

    private async Task IngestAsync(string name, (string Name, byte[] Bytes, string Type)[] documents)
    {
        var storeId = await PostAsync("/v1/vector_stores", JsonSerializer.Serialize(new { name }));
        var fileIds = new string[documents.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, documents.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" } };
            var file = new ByteArrayContent(documents[i].Bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(documents[i].Type);
            form.Add(file, "file", documents[i].Name);
            using var response = await host.Client.PostAsync(host.BaseUrl + "/v1/files", form, ct);
            fileIds[i] = await IdAsync(response);
        });

        var loadBefore = LoadAverage();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var batchId = await PostAsync($"/v1/vector_stores/{storeId}/file_batches", JsonSerializer.Serialize(new { file_ids = fileIds }));
        var seen = new HashSet<int>();
        JsonElement counts;
        while (true)
        {
            using var response = await host.Client.GetAsync($"{host.BaseUrl}/v1/vector_stores/{storeId}/file_batches/{batchId}");
            response.EnsureSuccessStatusCode();
            using var batch = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            counts = batch.RootElement.GetProperty("file_counts").Clone();
            seen.Add(counts.GetProperty("completed").GetInt32());
            if (batch.RootElement.GetProperty("status").GetString() != "in_progress")
            {
                break;
            }

            await Task.Delay(100);
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var index = (VectorStoreIndex)host.Services.GetRequiredService<IVectorStoreIndex>();
        var chunks = (await index.GetStoreAsync(storeId, CancellationToken.None))!.LiveChunks;
        if (counts.GetProperty("completed").GetInt32() != documents.Length)
        {
            Console.WriteLine($"  {name}: not every file completed: {counts}");
        }

        Console.WriteLine($"  {name,-34} {documents.Length,6} {chunks,7} {elapsed,8:F1} {chunks / elapsed,9:F1} {cpuMs / chunks,13:F1} {seen.Count,15} {loadBefore + " / " + LoadAverage(),18}");
    }

    /// <summary>The 1-minute load average (<c>/proc/loadavg</c>).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>A PDF of A4 pages of Helvetica 10 pt, the text wrapped at 95 characters, 60 lines a page.</summary>
    public static byte[] Pdf(string text)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length + word.Length + 1 > 95)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
            }

            lines.Add(line.ToString());
        }

        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var page in lines.Chunk(60))
        {
            var added = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            var y = 800.0;
            foreach (var line in page)
            {
                // The standard 14 fonts encode WinAnsi only; CISI is ASCII but for a few symbols and tabs.
                added.AddText(new string([.. line.Select(c => c is >= ' ' and < (char)127 ? c : ' ')]), 10, new PdfPoint(40, y), font);
                y -= 13;
            }
        }

        return builder.Build();
    }

    private async Task<string> PostAsync(string path, string json) => (await host.PostJsonAsync(path, json)).GetProperty("id").GetString()!;

    private static async Task<string> IdAsync(HttpResponseMessage response) => (await BenchHost.ReadJsonAsync(response)).GetProperty("id").GetString()!;
}
