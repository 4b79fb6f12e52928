using System.Globalization;

namespace AgentHost.Bench;

/// <summary>Prints the results as plain-text tables that paste into bench/README.md.</summary>
internal static class Report
{
    public static void Load(string title, BenchOptions options, IEnumerable<LoadRunner.Result> results)
    {
        Console.WriteLine($"{title} ({options.Concurrency} clients, warm-up at least {options.Warmup.TotalSeconds:0.#} s and until the JIT settles, {options.Duration.TotalSeconds:0.#} s measured)");
        Console.WriteLine();
        Console.WriteLine("| Operation | Completed | Failed | Per second | CPU ms per op | KB allocated per op |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine(Invariant($"| {r.Name} | {r.Completed} | {r.Failed} | {r.PerSecond:0} | {r.CpuMillisecondsPerOperation:0.00} | {r.AllocatedKilobytesPerOperation:0} |"));
        }

        Console.WriteLine();
    }

    public static void Sandbox(IReadOnlyList<SandboxScenario.Result> results)
    {
        Console.WriteLine("Code sandbox (bubblewrap + Python REPL), 1 client (ms)");
        Console.WriteLine();
        Console.WriteLine("| Measure | n | p50 | p99 | max | mean |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, d) in results)
        {
            Console.WriteLine(Invariant($"| {name} | {d.Count} | {d.Percentile(50):0.00} | {d.Percentile(99):0.00} | {d.Max:0.00} | {d.Mean:0.00} |"));
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

    public static void EventTimeline(LatencyScenario.Result result)
    {
        Console.WriteLine("Where the time goes in one streamed run: time from sending the request to reading each event (ms)");
        Console.WriteLine();
        Console.WriteLine("| Event | p50 | p99 | p50 gap from previous |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var previous = 0.0;
        foreach (var (name, offset) in result.EventOffsets)
        {
            Console.WriteLine(Invariant($"| {name} | {offset.Percentile(50):0.00} | {offset.Percentile(99):0.00} | {offset.Percentile(50) - previous:0.00} |"));
            previous = offset.Percentile(50);
        }

        Console.WriteLine();
    }

    public static void Compat(IReadOnlyList<CompatScenario.Result> results)
    {
        Console.WriteLine($"Compatible endpoints: added latency over calling the upstream directly, 1 client, {results[0].Direct.Count} iterations each (ms)");
        Console.WriteLine();
        Console.WriteLine("| Endpoint → provider | direct p50 | direct p99 | AgentHost p50 | AgentHost p99 | added p50 | added p99 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine(Invariant($"| {r.Name} | {r.Direct.Percentile(50):0.00} | {r.Direct.Percentile(99):0.00} | {r.Through.Percentile(50):0.00} | {r.Through.Percentile(99):0.00} | {r.Through.Percentile(50) - r.Direct.Percentile(50):0.00} | {r.Through.Percentile(99) - r.Direct.Percentile(99):0.00} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Time to first streamed byte (ms)");
        Console.WriteLine();
        Console.WriteLine("| Endpoint → provider | direct p50 | AgentHost p50 | AgentHost p99 | added p50 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.Where(r => r.DirectFirstByte is not null))
        {
            Console.WriteLine(Invariant($"| {r.Name} | {r.DirectFirstByte!.Percentile(50):0.00} | {r.ThroughFirstByte!.Percentile(50):0.00} | {r.ThroughFirstByte.Percentile(99):0.00} | {r.ThroughFirstByte.Percentile(50) - r.DirectFirstByte.Percentile(50):0.00} |"));
        }

        Console.WriteLine();
    }

    public static void Middleware((Distribution Bare, Distribution Observed, Distribution Added) result, int iterations)
    {
        Console.WriteLine($"Observability middleware, in process: one streamed 40 KB call to an instant provider, {iterations} pairs (ms)");
        Console.WriteLine();
        Console.WriteLine("| Path | p50 | p90 | p99 | max | mean |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Row("provider alone", result.Bare);
        Row("through the observability layer", result.Observed);
        Row("added per call (pairwise)", result.Added);
        Console.WriteLine();
    }

    private static void Row(string name, Distribution d) =>
        Console.WriteLine(Invariant($"| {name} | {d.Percentile(50):0.00} | {d.Percentile(90):0.00} | {d.Percentile(99):0.00} | {d.Max:0.00} | {d.Mean:0.00} |"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
