using System.Collections.Concurrent;
using System.Globalization;

namespace AgentHost.Bench;

/// <summary>
/// What issue 16 asks of the bench, in one invocation on one host: streamed and polled runs at 32 and 256 concurrent
/// clients (runs/s, CPU ms and KB allocated per run, p50/p99 time to first event), then the time AgentHost adds to one
/// streamed model call (the latency scenario, one client).
/// </summary>
internal static class Issue16Scenario
{
    private static readonly int[] Concurrencies = [32, 256];

    public static async Task RunAsync(BenchHost host, string assistantId, BenchOptions options)
    {
        var rows = new List<(string Mode, int Clients, LoadRunner.Result Result, Distribution? FirstEvent)>();
        foreach (var clients in Concurrencies)
        {
            var at = options with { Concurrency = clients };
            foreach (var streamed in new[] { true, false })
            {
                var firstEvents = new ConcurrentQueue<(long At, double Milliseconds)>();
                var scenario = new ThroughputScenario(host, assistantId, at) { FirstEvents = firstEvents };
                var result = streamed ? await scenario.RunStreamedAsync() : await scenario.RunPolledAsync();
                var inWindow = firstEvents.Where(e => result.InWindow(e.At)).Select(e => e.Milliseconds).ToList();
                rows.Add((streamed ? "streamed" : "polled", clients, result, inWindow.Count > 0 ? new Distribution(inWindow) : null));
            }
        }

        var latency = await new LatencyScenario(host, assistantId, options).RunAsync();

        Console.WriteLine(Invariant($"Issue 16 figures (warm-up at least {options.Warmup.TotalSeconds:0.#} s and until the JIT settles, {options.Duration.TotalSeconds:0.#} s measured per row, instant upstream; {GcSettings()})"));
        Console.WriteLine();
        Console.WriteLine("| Runs | Clients | Completed | Failed | Runs/s | CPU ms per run | KB allocated per run | first event p50 ms | first event p99 ms | warm-up s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (mode, clients, r, first) in rows)
        {
            Console.WriteLine(Invariant($"| {mode} | {clients} | {r.Completed} | {r.Failed} | {r.PerSecond:0} | {r.CpuMillisecondsPerOperation:0.00} | {r.AllocatedKilobytesPerOperation:0} | {first?.Percentile(50):0.00} | {first?.Percentile(99):0.00} | {r.WarmupSeconds:0.#} |"));
        }

        Console.WriteLine();
        Console.WriteLine("First event: a streamed run's first SSE event (`thread.created`); a polled run's create response.");
        Console.WriteLine();
        var (direct, through) = (latency.Direct, latency.ThroughAgentHost);
        Console.WriteLine(Invariant($"Added latency per model call (1 client, {direct.Count} streamed thread-and-runs to thread.run.completed against as many calls straight to the upstream): p50 {through.Percentile(50) - direct.Percentile(50):0.00} ms, p99 {through.Percentile(99) - direct.Percentile(99):0.00} ms (through AgentHost p50 {through.Percentile(50):0.00} / p99 {through.Percentile(99):0.00}, direct p50 {direct.Percentile(50):0.00} / p99 {direct.Percentile(99):0.00})."));
        Console.WriteLine();
    }

    /// <summary>The GC as configured for this process (server, concurrent, DATAS), as the runtime reports it.</summary>
    public static string GcSettings()
    {
        var variables = GC.GetConfigurationVariables();
        string Of(string name) => variables.FirstOrDefault(v => v.Key.Contains(name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
            ? Convert.ToString(found.Value, CultureInfo.InvariantCulture) ?? "?"
            : "?";
        return $"GC server {Of("ServerGC")}, concurrent {Of("ConcurrentGC")}, DATAS {Of("Adaptation")}, heaps {Of("HeapCount")}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
