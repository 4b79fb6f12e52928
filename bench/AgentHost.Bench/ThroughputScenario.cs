using System.Text.Json;

namespace AgentHost.Bench;

/// <summary>
/// N clients each create a thread and run, wait for it to complete, and repeat. Only runs that complete inside
/// the measured window (after the warm-up) count.
/// </summary>
internal sealed class ThroughputScenario(BenchHost host, string assistantId, BenchOptions options)
{
    /// <summary>
    /// When set, each run's time to its first event is added with the moment it was read: the first SSE event of a
    /// streamed run, the create response of a polled one (the first thing its client hears).
    /// </summary>
    public System.Collections.Concurrent.ConcurrentQueue<(long At, double Milliseconds)>? FirstEvents { get; init; }

    public Task<LoadRunner.Result> RunStreamedAsync() => LoadRunner.RunAsync("runs, streamed (SSE to event: done)", options, StreamedRunAsync);

    public Task<LoadRunner.Result> RunPolledAsync() => LoadRunner.RunAsync($"runs, polled (GET every {options.PollInterval.TotalMilliseconds} ms)", options, PolledRunAsync);

    /// <summary>One thread-and-run, streamed until <c>done</c>.</summary>
    public async Task<bool> StreamedRunAsync(CancellationToken cancellationToken)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/v1/threads/runs") { Content = BenchHost.Json(Bodies.ThreadAndRun(assistantId, stream: true)) };
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var events = await SseReader.OpenAsync(response, cancellationToken);
        if (FirstEvents is { } firstEvents)
        {
            if (!await events.ReadUntilEventAsync("thread.created", cancellationToken))
            {
                return false;
            }

            Record(firstEvents, start);
        }

        return await events.ReadUntilEventAsync("thread.run.completed", cancellationToken) && await events.ReadUntilEventAsync("done", cancellationToken);
    }

    private async Task<bool> PolledRunAsync(CancellationToken cancellationToken)
    {
        string threadId, runId;
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var created = await host.Client.PostAsync(host.BaseUrl + "/v1/threads/runs", BenchHost.Json(Bodies.ThreadAndRun(assistantId, stream: false)), cancellationToken))
        {
            if (!created.IsSuccessStatusCode)
            {
                return false;
            }

            using var run = JsonDocument.Parse(await created.Content.ReadAsStreamAsync(cancellationToken));
            if (FirstEvents is { } firstEvents)
            {
                Record(firstEvents, start);
            }

            threadId = run.RootElement.GetProperty("thread_id").GetString()!;
            runId = run.RootElement.GetProperty("id").GetString()!;
        }

        var url = $"{host.BaseUrl}/v1/threads/{threadId}/runs/{runId}";
        while (true)
        {
            await Task.Delay(options.PollInterval, cancellationToken);
            using var polled = await host.Client.GetAsync(url, cancellationToken);
            using var run = JsonDocument.Parse(await polled.Content.ReadAsStreamAsync(cancellationToken));
            switch (run.RootElement.GetProperty("status").GetString())
            {
                case "completed":
                    return true;
                case "queued" or "in_progress":
                    continue;
                default:
                    return false;
            }
        }
    }

    private static void Record(System.Collections.Concurrent.ConcurrentQueue<(long At, double Milliseconds)> firstEvents, long start)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        firstEvents.Enqueue((now, System.Diagnostics.Stopwatch.GetElapsedTime(start, now).TotalMilliseconds));
    }
}
