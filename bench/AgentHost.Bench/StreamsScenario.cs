using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace AgentHost.Bench;

/// <summary>
/// Many streamed runs held open at once: <c>--streams</c> clients each open a streamed thread-and-run at the same moment
/// against an upstream that trickles its answer over <c>--hold</c> seconds, and read every event to <c>done</c>. Counts
/// errors and streams whose events came out of order, times each stream's first event, and samples the process's memory
/// and thread pool once a second while the streams are open.
/// </summary>
internal static class StreamsScenario
{
    /// <summary>One-word deltas each trickled answer sends, spread over the hold.</summary>
    private const int Deltas = 12;

    /// <summary>The events of one streamed thread-and-run of one model call, in order (deltas collapsed).</summary>
    private static readonly string[] ExpectedOrder =
    [
        "thread.created", "thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
        "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta",
        "thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done",
    ];

    private sealed record Sample(double Seconds, long WorkingSetMb, long GcHeapMb, long CommittedMb, int Threads, long Queued, int OpenStreams);

    private sealed record StreamOutcome(bool Ok, string? Problem, double FirstEventMs, double TotalMs);

    public static async Task RunAsync(BenchOptions options)
    {
        var hold = options.Hold;
        await using var host = await BenchHost.StartAsync(
            await InstantUpstream.StartTricklingAsync(hold, Deltas),
            // Every stream's run executes at once, so each holds its model call open for the whole hold.
            $"--AgentHost:Runs:MaxConcurrentRuns={Math.Max(256, options.Streams + 64)}");
        var assistantId = await host.CreateAssistantAsync();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Streams + 16,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        Console.WriteLine(Invariant($"{options.Streams} concurrent streamed runs, each held {hold.TotalSeconds:0} s by the upstream ({Deltas} deltas), MaxConcurrentRuns {Math.Max(256, options.Streams + 64)}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {options.Rounds} round(s)"));
        for (var round = 1; round <= options.Rounds; round++)
        {
            Console.WriteLine();
            Console.WriteLine($"Round {round}:");
            await RoundAsync(client, host, assistantId, options);
        }
    }

    private static async Task RoundAsync(HttpClient client, BenchHost host, string assistantId, BenchOptions options)
    {
        GC.Collect();
        var baseline = Take(0, 0);
        var open = 0;
        var samples = new List<Sample> { baseline };
        using var stop = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stop.Token).AsTask().ContinueWith(t => t.Status == TaskStatus.RanToCompletion && t.Result))
            {
                samples.Add(Take(Stopwatch.GetElapsedTime(start).TotalSeconds, Volatile.Read(ref open)));
            }
        });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, options.Streams).Select(_ => Task.Run(async () =>
        {
            Interlocked.Increment(ref open);
            try
            {
                return await StreamAsync(client, host.BaseUrl, assistantId);
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        })));
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        stop.Cancel();
        await sampler;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var after = Take(wall, 0);

        var failed = outcomes.Where(o => !o.Ok).ToList();
        Console.WriteLine();
        Console.WriteLine("| Streams | Completed in order | Failed | Wall s | first event p50 ms | p99 ms | max ms | stream p50 s | p99 s |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var ok = outcomes.Where(o => o.Ok).ToList();
        var first = new Distribution(outcomes.Select(o => o.FirstEventMs));
        var total = ok.Count > 0 ? new Distribution(ok.Select(o => o.TotalMs / 1000)) : null;
        Console.WriteLine(Invariant($"| {options.Streams} | {ok.Count} | {failed.Count} | {wall:0.0} | {first.Percentile(50):0.0} | {first.Percentile(99):0.0} | {first.Max:0.0} | {total?.Percentile(50):0.00} | {total?.Percentile(99):0.00} |"));
        foreach (var problem in failed.GroupBy(f => f.Problem).Take(5))
        {
            Console.WriteLine($"  {problem.Count()} × {problem.Key}");
        }

        Console.WriteLine();
        Console.WriteLine("Process while the streams were open (sampled each second; every 5th sample shown):");
        Console.WriteLine();
        Console.WriteLine("| s | open streams | working set MB | GC heap MB | GC committed MB | pool threads | pool queue |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < samples.Count; i++)
        {
            if (i % 5 == 0 || i == samples.Count - 1)
            {
                var s = samples[i];
                Console.WriteLine(Invariant($"| {s.Seconds:0} | {s.OpenStreams} | {s.WorkingSetMb} | {s.GcHeapMb} | {s.CommittedMb} | {s.Threads} | {s.Queued} |"));
            }
        }

        Console.WriteLine(Invariant($"| after, full GC | 0 | {after.WorkingSetMb} | {after.GcHeapMb} | {after.CommittedMb} | {after.Threads} | {after.Queued} |"));
        Console.WriteLine();
        Console.WriteLine(Invariant($"Peak: working set {samples.Max(s => s.WorkingSetMb)} MB, GC heap {samples.Max(s => s.GcHeapMb)} MB, pool threads {samples.Max(s => s.Threads)}, pool queue {samples.Max(s => s.Queued)}; gen2 collections {GC.CollectionCount(2)}, GC pauses {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms in all."));
    }

    private static async Task<StreamOutcome> StreamAsync(HttpClient client, string baseUrl, string assistantId)
    {
        var start = Stopwatch.GetTimestamp();
        var firstEvent = double.NaN;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/threads/runs") { Content = BenchHost.Json(Bodies.ThreadAndRun(assistantId, stream: true)) };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return new StreamOutcome(false, $"HTTP {(int)response.StatusCode}", Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var next = 0;
            var deltas = 0;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    continue;
                }

                if (double.IsNaN(firstEvent))
                {
                    firstEvent = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                var name = line["event: ".Length..];
                if (name == "thread.message.delta" && next > 0 && ExpectedOrder[next - 1] == name)
                {
                    deltas++;
                    continue;
                }

                if (next >= ExpectedOrder.Length || ExpectedOrder[next] != name)
                {
                    return new StreamOutcome(false, $"event {name} where {(next < ExpectedOrder.Length ? ExpectedOrder[next] : "the end")} was due", firstEvent, 0);
                }

                deltas += name == "thread.message.delta" ? 1 : 0;
                next++;
            }

            // The role chunk carries no text; each trickled word is one delta.
            return next == ExpectedOrder.Length && deltas == Deltas
                ? new StreamOutcome(true, null, firstEvent, Stopwatch.GetElapsedTime(start).TotalMilliseconds)
                : new StreamOutcome(false, $"stream ended after {next} of {ExpectedOrder.Length} events ({deltas} deltas)", firstEvent, 0);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return new StreamOutcome(false, e.GetType().Name + ": " + e.Message, double.IsNaN(firstEvent) ? Stopwatch.GetElapsedTime(start).TotalMilliseconds : firstEvent, 0);
        }
    }

    private static Sample Take(double seconds, int open)
    {
        var info = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return new Sample(seconds, process.WorkingSet64 >> 20, GC.GetTotalMemory(false) >> 20, info.TotalCommittedBytes >> 20, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, open);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
