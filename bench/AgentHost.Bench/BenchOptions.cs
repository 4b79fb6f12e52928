namespace AgentHost.Bench;

/// <summary>Command-line options: <c>--scenario throughput|latency|layers|sandbox|compat|gateway|retrieval|retrieval-http|retrieval-scale|retrieval-embed|library|nodes|all --duration 10 --warmup 2 --concurrency 64 --iterations 3000</c>.</summary>
internal sealed record BenchOptions
{
    public string Scenario { get; init; } = "all";

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int Concurrency { get; init; } = 64;

    public int Iterations { get; init; } = 3000;

    /// <summary>threads: timed runs per thread length and truncation.</summary>
    public int Runs { get; init; } = 100;

    /// <summary>
    /// threads: with <c>file_search</c>, each run makes one file_search call (the assistant has the tool, the first message
    /// of each thread attaches a file for it), under <c>last_messages</c> = 20 only.
    /// </summary>
    public string? ThreadTool { get; init; }

    /// <summary>Pause between GET polls in the non-streamed throughput mode.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Where the retrieval scenario keeps its CISI index between runs; a fresh temp folder when unset.</summary>
    public string? RetrievalDir { get; init; }

    /// <summary>retrieval-eval: comma-separated collection folders of shared/retrieval-eval (all when unset).</summary>
    public string? Collections { get; init; }

    /// <summary>retrieval-eval: comma-separated embedding models, one store each (both local models when unset).</summary>
    public string Models { get; init; } = "all-MiniLM-L6-v2,snowflake-arctic-embed-xs";

    /// <summary>retrieval-eval: only the first n judged queries of each collection (0 = all), for quick iterations.</summary>
    public int QueryLimit { get; init; }

    /// <summary>nodes: the PostgreSQL server the nodes share (a fresh schema per node count); AGENTHOST_TEST_POSTGRES when unset.</summary>
    public string? Postgres { get; init; }

    /// <summary>streams: concurrent streamed runs held open at once.</summary>
    public int Streams { get; init; } = 1000;

    /// <summary>streams: how long the upstream holds each answer open.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>streams: rounds of streams one after another in the same process (memory after each round shows what stays).</summary>
    public int Rounds { get; init; } = 1;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw Usage($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--scenario" when value is "throughput" or "latency" or "layers" or "sandbox" or "compat" or "gateway" or "retrieval" or "retrieval-http" or "retrieval-scale" or "retrieval-embed" or "retrieval-eval" or "retrieval-ingest" or "retrieval-profile" or "retrieval-pipeline" or "retrieval-stages" or "library" or "responses" or "nodes" or "session-history" or "threads" or "streams" or "issue16" or "all" => options with { Scenario = value },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
                "--concurrency" => options with { Concurrency = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "--iterations" => options with { Iterations = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "--thread-tool" when value is "file_search" => options with { ThreadTool = value },
                "--poll-ms" => options with { PollInterval = TimeSpan.FromMilliseconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
                "--retrieval-dir" => options with { RetrievalDir = value },
                "--collections" => options with { Collections = value },
                "--models" => options with { Models = value },
                "--postgres" => options with { Postgres = value },
                "--streams" => options with { Streams = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "--hold" => options with { Hold = TimeSpan.FromSeconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
                "--rounds" => options with { Rounds = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                "--query-limit" => options with { QueryLimit = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw Usage($"Unknown option or value: {args[i]} {value}"),
            };
            i++;
        }

        return options;
    }

    private static ArgumentException Usage(string problem) => new(
        problem + " Usage: --scenario throughput|latency|layers|sandbox|compat|gateway|responses|retrieval|library|all [--duration seconds] [--warmup seconds] [--concurrency n] [--iterations n] [--poll-ms ms] [--streams n] [--hold seconds] [--rounds n]");
}
