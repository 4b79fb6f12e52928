using System.Globalization;

namespace AgentHost.Bench;

/// <summary>Prints the results as plain-text tables that paste into bench/README.md.</summary>
internal static class Report
{
    public static void Throughput(BenchOptions options, IEnumerable<ThroughputScenario.Result> results)
    {
        Console.WriteLine($"Completed runs per second ({options.Concurrency} clients, {options.Warmup.TotalSeconds:0.#} s warm-up, {options.Duration.TotalSeconds:0.#} s measured)");
        Console.WriteLine();
        Console.WriteLine("| Mode | Completed | Failed | Runs/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine(Invariant($"| {r.Mode} | {r.Completed} | {r.Failed} | {r.RunsPerSecond:0} |"));
        }

        Console.WriteLine();
    }

    public static void Latency(LatencyScenario.Result result)
    {
        var (direct, through) = (result.Direct, result.ThroughAgentHost);
        Console.WriteLine($"Latency of one streamed model call, 1 client, {direct.Count} iterations each (ms)");
        Console.WriteLine();
        Console.WriteLine("| Path | p50 | p90 | p99 | max | mean |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Row("(a) upstream direct, to [DONE]", direct);
        Row("(b) AgentHost thread+run, to thread.run.completed", through);
        Console.WriteLine(Invariant($"| added by AgentHost (b − a) | {through.Percentile(50) - direct.Percentile(50):0.00} | {through.Percentile(90) - direct.Percentile(90):0.00} | {through.Percentile(99) - direct.Percentile(99):0.00} | | {through.Mean - direct.Mean:0.00} |"));
        Console.WriteLine();
    }

    private static void Row(string name, Distribution d) =>
        Console.WriteLine(Invariant($"| {name} | {d.Percentile(50):0.00} | {d.Percentile(90):0.00} | {d.Percentile(99):0.00} | {d.Max:0.00} | {d.Mean:0.00} |"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
