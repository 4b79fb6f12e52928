using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Hosting.Cli;

namespace AgentHost.Server.Files.Cli;

/// <summary>
/// <c>agenthost files upload ./docs --vector-store vs_…</c>: uploads every file of a folder to a running AgentHost
/// (<c>POST /v1/files</c>, a few at a time), adds them to a vector store in file batches, and shows ingestion progress
/// from the batches' <c>file_counts</c> until every file is <c>completed</c> or <c>failed</c>.
/// </summary>
public static class FilesCommand
{
    private const string Usage = """
        Usage:
          agenthost files upload <folder> (--vector-store vs_… | --create-vector-store <name>)
                                 [--url http://127.0.0.1:8080] [--api-key KEY] [--concurrency 4] [--pattern *]
        The API key defaults to AGENTHOST_API_KEY. Exit code 0 when every file is completed, 1 when some failed.
        """;

    /// <summary>The most files one <c>file_batches</c> call takes.</summary>
    private const int BatchLimit = 2000;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeProvider time, HttpMessageHandler? handler = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            if (args.FirstOrDefault() != "upload" || args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            {
                output.WriteLine(Usage);
                return args.FirstOrDefault() is null or "help" or "--help" ? 0 : 2;
            }

            var options = CommandLineOptions.Parse(args.Skip(2), "vector-store", "create-vector-store", "url", "api-key", "concurrency", "pattern");
            var upload = new FolderUpload(
                Folder: args[1],
                VectorStoreId: options.GetValueOrDefault("vector-store"),
                NewStoreName: options.GetValueOrDefault("create-vector-store"),
                BaseUrl: options.GetValueOrDefault("url", "http://127.0.0.1:8080"),
                ApiKey: options.GetValueOrDefault("api-key") ?? Environment.GetEnvironmentVariable("AGENTHOST_API_KEY"),
                Concurrency: int.Parse(options.GetValueOrDefault("concurrency", "4"), CultureInfo.InvariantCulture),
                Pattern: options.GetValueOrDefault("pattern", "*"));
            return await RunUploadAsync(upload, output, time, handler, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or DirectoryNotFoundException or HttpRequestException)
        {
            output.WriteLine($"error: {e.Message}");
            if (e is FormatException or ArgumentException)
            {
                output.WriteLine(Usage);
            }

            return 2;
        }
    }

    private static async Task<int> RunUploadAsync(FolderUpload upload, TextWriter output, TimeProvider time, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        if ((upload.VectorStoreId is null) == (upload.NewStoreName is null))
        {
            throw new ArgumentException("Give exactly one of --vector-store <id> and --create-vector-store <name>.");
        }

        if (upload.Concurrency is < 1 or > 64)
        {
            throw new ArgumentException("--concurrency must be between 1 and 64.");
        }

        var paths = upload.Files();
        if (paths.Count == 0)
        {
            output.WriteLine($"No files matching '{upload.Pattern}' in {upload.Folder}.");
            return 0;
        }

        using var http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
        {
            BaseAddress = new Uri(upload.BaseUrl.TrimEnd('/') + "/v1/"),
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrEmpty(upload.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", upload.ApiKey);
        }

        var storeId = upload.VectorStoreId
            ?? (await SendAsync(http, HttpMethod.Post, "vector_stores", JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = upload.NewStoreName! }), cancellationToken))
                .GetProperty("id").GetString()!;
        await SendAsync(http, HttpMethod.Get, $"vector_stores/{storeId}", null, cancellationToken);
        output.WriteLine($"Uploading {paths.Count} file(s) from {upload.Folder} to vector store {storeId}");

        var progress = new ProgressLine(output);
        var fileIds = new string[paths.Count];
        var uploaded = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, paths.Count), new ParallelOptions { MaxDegreeOfParallelism = upload.Concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                fileIds[i] = await UploadAsync(http, paths[i], ct);
                var done = Interlocked.Increment(ref uploaded);
                lock (progress)
                {
                    progress.Show($"uploaded {ProgressLine.Bar(done, paths.Count)} {done}/{paths.Count}");
                }
            });
        progress.End();

        var batches = new List<string>();
        foreach (var chunk in fileIds.Chunk(BatchLimit))
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, string[]> { ["file_ids"] = chunk });
            batches.Add((await SendAsync(http, HttpMethod.Post, $"vector_stores/{storeId}/file_batches", body, cancellationToken)).GetProperty("id").GetString()!);
        }

        var (completed, failed) = (0, 0);
        while (true)
        {
            (completed, failed) = (0, 0);
            var inProgress = false;
            foreach (var batch in batches)
            {
                var state = await SendAsync(http, HttpMethod.Get, $"vector_stores/{storeId}/file_batches/{batch}", null, cancellationToken);
                var counts = state.GetProperty("file_counts");
                completed += counts.GetProperty("completed").GetInt32();
                failed += counts.GetProperty("failed").GetInt32() + counts.GetProperty("cancelled").GetInt32();
                inProgress |= state.GetProperty("status").GetString() == "in_progress";
            }

            progress.Show($"ingested {ProgressLine.Bar(completed + failed, paths.Count)} {completed}/{paths.Count} completed, {failed} failed");
            if (!inProgress)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }

        progress.End();
        if (failed > 0)
        {
            await ReportFailuresAsync(http, storeId, batches, paths, fileIds, output, cancellationToken);
        }

        output.WriteLine($"Done: {completed} completed, {failed} failed, vector store {storeId}.");
        return failed == 0 ? 0 : 1;
    }

    private static async Task ReportFailuresAsync(HttpClient http, string storeId, List<string> batches, IReadOnlyList<string> paths, string[] fileIds,
        TextWriter output, CancellationToken cancellationToken)
    {
        var pathOf = fileIds.Select((id, i) => (id, paths[i])).ToDictionary(p => p.id, p => p.Item2, StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            string? after = null;
            do
            {
                var page = await SendAsync(http, HttpMethod.Get,
                    $"vector_stores/{storeId}/file_batches/{batch}/files?filter=failed&limit=100{(after is null ? "" : "&after=" + after)}", null, cancellationToken);
                foreach (var file in page.GetProperty("data").EnumerateArray())
                {
                    var id = file.GetProperty("id").GetString()!;
                    var error = file.TryGetProperty("last_error", out var e) && e.ValueKind == JsonValueKind.Object ? e.GetProperty("message").GetString() : "failed";
                    output.WriteLine($"  failed: {pathOf.GetValueOrDefault(id, id)}: {error}");
                }

                after = page.GetProperty("has_more").GetBoolean() ? page.GetProperty("last_id").GetString() : null;
            }
            while (after is not null);
        }
    }

    private static async Task<string> UploadAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        using var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" } };
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", Path.GetFileName(path));
        using var response = await http.PostAsync("files", form, cancellationToken);
        return (await ReadAsync(response, $"uploading {path}", cancellationToken)).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, $"{method} {path}", cancellationToken);
    }

    /// <summary>The body as JSON, or an error carrying the API's own error message.</summary>
    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var message = text;
            try
            {
                using var error = JsonDocument.Parse(text);
                message = error.RootElement.GetProperty("error").GetProperty("message").GetString() ?? text;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Not the API's error envelope: show the body as it came.
            }

            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {message}");
        }

        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }
}
