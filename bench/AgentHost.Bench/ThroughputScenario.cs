using System.Diagnostics;
using System.Text.Json;

namespace AgentHost.Bench;

/// <summary>
/// N clients each create a thread and run, wait for it to complete, and repeat. Only runs that complete inside
/// the measured window (after the warm-up) count.
/// </summary>
internal sealed class ThroughputScenario(BenchHost host, string assistantId, BenchOptions options)
{
    public sealed record Result(string Mode, int Completed, int Failed, double Seconds)
    {
        public double RunsPerSecond => Completed / Seconds;
    }

    public Task<Result> RunStreamedAsync() => RunAsync("streamed (SSE to event: done)", StreamedRunAsync);

    public Task<Result> RunPolledAsync() => RunAsync($"polled (GET every {options.PollInterval.TotalMilliseconds} ms)", PolledRunAsync);

    private async Task<Result> RunAsync(string mode, Func<CancellationToken, Task<bool>> oneRun)
    {
        var completed = 0;
        var failed = 0;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        using var stop = new CancellationTokenSource();

        async Task ClientAsync()
        {
            while (Stopwatch.GetTimestamp() < measureTo)
            {
                var ok = await oneRun(stop.Token);
                var now = Stopwatch.GetTimestamp();
                if (now >= measureFrom && now < measureTo)
                {
                    Interlocked.Increment(ref ok ? ref completed : ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(ClientAsync)));
        return new Result(mode, completed, failed, options.Duration.TotalSeconds);
    }

    private async Task<bool> StreamedRunAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/v1/threads/runs") { Content = BenchHost.Json(Bodies.ThreadAndRun(assistantId, stream: true)) };
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var events = await SseReader.OpenAsync(response, cancellationToken);
        return await events.ReadUntilEventAsync("thread.run.completed", cancellationToken) && await events.ReadUntilEventAsync("done", cancellationToken);
    }

    private async Task<bool> PolledRunAsync(CancellationToken cancellationToken)
    {
        string threadId, runId;
        using (var created = await host.Client.PostAsync(host.BaseUrl + "/v1/threads/runs", BenchHost.Json(Bodies.ThreadAndRun(assistantId, stream: false)), cancellationToken))
        {
            if (!created.IsSuccessStatusCode)
            {
                return false;
            }

            using var run = JsonDocument.Parse(await created.Content.ReadAsStreamAsync(cancellationToken));
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
}
