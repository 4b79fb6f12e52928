using System.Diagnostics;

namespace AgentHost.Bench;

/// <summary>
/// One client, alternating: (a) a streamed chat completion straight to the upstream, read to <c>[DONE]</c>;
/// (b) a streamed thread-and-run through AgentHost, timed to <c>thread.run.completed</c>. The difference
/// is what AgentHost adds to one model call.
/// </summary>
internal sealed class LatencyScenario(BenchHost host, string assistantId, BenchOptions options)
{
    /// <param name="EventOffsets">Per event name (first occurrence), the time from sending the request to reading it.</param>
    public sealed record Result(Distribution Direct, Distribution ThroughAgentHost, IReadOnlyList<(string Event, Distribution Offset)> EventOffsets);

    private readonly Dictionary<string, List<double>> offsets = [];
    private readonly List<string> eventOrder = [];

    public async Task<Result> RunAsync()
    {
        var warmup = Math.Max(200, options.Iterations / 10);
        var settling = new JitSettling();
        for (var i = 0; i < warmup || !settling.Settled(); i++)
        {
            await DirectAsync();
            await ThroughAgentHostAsync();
        }

        offsets.Clear();
        eventOrder.Clear();
        var direct = new double[options.Iterations];
        var through = new double[options.Iterations];
        for (var i = 0; i < options.Iterations; i++)
        {
            direct[i] = await DirectAsync();
            through[i] = await ThroughAgentHostAsync();
        }

        return new Result(new Distribution(direct), new Distribution(through), [.. eventOrder.Select(e => (e, new Distribution(offsets[e])))]);
    }

    private async Task<double> DirectAsync()
    {
        var start = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Upstream.BaseUrl + "/v1/chat/completions") { Content = BenchHost.Json(Bodies.ChatCompletion) };
        request.Headers.Authorization = new("Bearer", "sk-bench");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Check(response.IsSuccessStatusCode, "upstream");
        using var chunks = await SseReader.OpenAsync(response, CancellationToken.None);
        Check(await chunks.ReadUntilLineAsync("data: [DONE]", CancellationToken.None), "upstream");
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private async Task<double> ThroughAgentHostAsync()
    {
        var start = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/v1/threads/runs") { Content = BenchHost.Json(Bodies.ThreadAndRun(assistantId, stream: true)) };
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Check(response.IsSuccessStatusCode, "AgentHost");
        using var events = await SseReader.OpenAsync(response, CancellationToken.None);
        var seenInThisRun = new HashSet<string>();
        Check(await events.ReadEventsUntilAsync("thread.run.completed", name =>
        {
            if (seenInThisRun.Add(name))
            {
                Record(name, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }, CancellationToken.None), "AgentHost");
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await events.ReadUntilEventAsync("done", CancellationToken.None); // drain outside the timing
        return elapsed;
    }

    private void Record(string name, double milliseconds)
    {
        if (!offsets.TryGetValue(name, out var list))
        {
            offsets[name] = list = [];
            eventOrder.Add(name);
        }

        list.Add(milliseconds);
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"A {what} call did not complete; the latency figures would be meaningless.");
        }
    }
}
