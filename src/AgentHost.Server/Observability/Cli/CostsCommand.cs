using System.Globalization;
using AgentHost.Core.Observability;
using AgentHost.Observability;
using AgentHost.Observability.Costs;
using AgentHost.Storage.Postgres;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Server.Observability.Cli;

/// <summary>
/// <c>agenthost costs estimate …</c> projects a workload's monthly cost across the price table;
/// <c>agenthost costs report --since …</c> shows what recorded runs cost and projects it to a month.
/// </summary>
public static class CostsCommand
{
    public static readonly string[] DefaultModels =
    [
        "gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "claude-3-5-haiku", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "gpt-5", "gpt-5-mini",
        "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1",
    ];

    private const string Usage = """
        Usage:
          agenthost costs estimate [--requests 10000] [--input 500] [--output 300] [--tool-calls 2] [--tool-tokens 400]
                                   [--tool-request-tokens 20] [--cache-hit 0] [--models gpt-4o,claude-haiku-4-5] [--prices file.json]
          agenthost costs report [--since 2026-11-01] [--until 2026-12-01] [--data-dir ./data | --postgres "Host=…"] [--prices file.json]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeProvider time)
    {
        try
        {
            var options = Options(args.Skip(1));
            var prices = PriceTableLoader.Load(new ObservabilityOptions { PriceTable = options.GetValueOrDefault("prices") });
            switch (args.FirstOrDefault())
            {
                case "estimate":
                    Estimate(options, prices, output, time.GetUtcNow());
                    return 0;
                case "report":
                    await ReportAsync(options, prices, output, time.GetUtcNow());
                    return 0;
                default:
                    output.WriteLine(Usage);
                    return args.FirstOrDefault() is null or "help" or "--help" ? 0 : 2;
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            output.WriteLine($"error: {e.Message}");
            output.WriteLine(Usage);
            return 2;
        }
    }

    public static void Estimate(Dictionary<string, string> options, PriceTable prices, TextWriter output, DateTimeOffset at)
    {
        var workload = new Workload
        {
            RequestsPerMonth = Number(options, "requests", 10_000),
            InputTokens = (int)Number(options, "input", 500),
            OutputTokens = (int)Number(options, "output", 300),
            ToolCalls = (int)Number(options, "tool-calls", 2),
            ToolResultTokens = (int)Number(options, "tool-tokens", 400),
            ToolRequestTokens = (int)Number(options, "tool-request-tokens", 20),
            CacheHitRate = double.Parse(options.GetValueOrDefault("cache-hit", "0"), CultureInfo.InvariantCulture),
        };
        if (workload.CacheHitRate is < 0 or > 1)
        {
            throw new ArgumentException("--cache-hit is a share between 0 and 1.");
        }

        var models = options.TryGetValue("models", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : DefaultModels;
        output.WriteLine(Inv($"Workload: {workload.RequestsPerMonth:N0} conversations a month, {workload.InputTokens} tokens in, {workload.OutputTokens} out, {workload.ToolCalls} tool call(s) adding {workload.ToolResultTokens} tokens, cache hit rate {workload.CacheHitRate:P0}"));
        output.WriteLine(Inv($"Price table {prices.Version}, prices in force on {at:yyyy-MM-dd}"));
        output.WriteLine();
        output.WriteLine("Model calls per conversation (each re-sends the context so far):");
        output.WriteLine("  call   input  cached  cache-write  output");
        var calls = CostPlanner.Calls(workload);
        foreach (var call in calls)
        {
            output.WriteLine(Inv($"  {call.Index,4}  {call.InputTokens,6}  {call.CachedInputTokens,6}  {call.CacheWriteTokens,11}  {call.OutputTokens,6}"));
        }

        output.WriteLine(Inv($"  total {calls.Sum(c => c.InputTokens),5}  {calls.Sum(c => c.CachedInputTokens),6}  {calls.Sum(c => c.CacheWriteTokens),11}  {calls.Sum(c => c.OutputTokens),6}   (cache writes are billed on Anthropic only)"));
        output.WriteLine();
        output.WriteLine("  model                 per month   per conversation   flat count (one call)");
        foreach (var model in models)
        {
            if (CostPlanner.MonthlyCost(prices, model, workload, at) is not { } monthly)
            {
                output.WriteLine($"  {model,-20}  no price in the table");
                continue;
            }

            var flat = CostPlanner.FlatMonthlyCost(prices, model, workload, at)!.Value;
            output.WriteLine(Inv($"  {model,-20} {monthly,10:$#,##0.00}   {monthly / workload.RequestsPerMonth,16:$0.000000}   {flat,12:$#,##0.00}"));
        }
    }

    /// <summary>
    /// The usage ledger to report from: PostgreSQL with <c>--postgres</c> (or <c>ConnectionStrings__Postgres</c> when no
    /// <c>--data-dir</c> is given), else the SQLite database of the data directory.
    /// </summary>
    private static OpenedLedger OpenLedger(Dictionary<string, string> options)
    {
        var postgres = options.GetValueOrDefault("postgres")
            ?? (options.ContainsKey("data-dir") ? null : Environment.GetEnvironmentVariable("ConnectionStrings__Postgres"));
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            var database = new PostgresDatabase(postgres, TimeProvider.System, NullLogger<PostgresDatabase>.Instance);
            return new OpenedLedger(new PostgresUsageLedger(database), database.DisposeAsync);
        }

        var dataDir = options.GetValueOrDefault("data-dir") ?? Environment.GetEnvironmentVariable("AGENTHOST_DATA_DIR") ?? "data";
        var path = Path.Combine(dataDir, "agenthost.db");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"No database at {path}; pass --data-dir, or --postgres for a PostgreSQL installation.");
        }

        var sqlite = new SqliteDatabase(path);
        return new OpenedLedger(new SqliteUsageLedger(sqlite), () =>
        {
            sqlite.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    private sealed record OpenedLedger(IUsageLedger Ledger, Func<ValueTask> Close) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Close();
    }

    private static async Task ReportAsync(Dictionary<string, string> options, PriceTable prices, TextWriter output, DateTimeOffset now)
    {
        var since = options.TryGetValue("since", out var s) ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : now.AddDays(-30);
        var until = options.TryGetValue("until", out var u) ? DateTimeOffset.Parse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : now;
        await using var ledger = OpenLedger(options);
        var store = ledger.Ledger;
        var query = new UsageQuery { StartMs = since.ToUnixTimeMilliseconds(), EndMs = until.ToUnixTimeMilliseconds(), GroupBy = "model" };
        var rows = await store.SumUsageAsync(query, CancellationToken.None);
        var days = Math.Max((until - since).TotalDays, 1.0 / 24);
        output.WriteLine(Inv($"Recorded usage {since:yyyy-MM-dd HH:mm} – {until:yyyy-MM-dd HH:mm} UTC ({days:0.#} days), price table {prices.Version}"));
        output.WriteLine("  model                  calls      input    cached     output        cost   per 30 days");
        foreach (var row in rows)
        {
            output.WriteLine(Inv($"  {row.Key,-20} {row.ModelCalls,7} {row.InputTokens,10} {row.CachedInputTokens,9} {row.OutputTokens,10} {row.CostUsd,11:$#,##0.0000} {row.CostUsd / (decimal)days * 30,13:$#,##0.00}"));
        }

        var total = rows.Sum(r => r.CostUsd);
        output.WriteLine(Inv($"  {"total",-20} {rows.Sum(r => r.ModelCalls),7} {rows.Sum(r => r.InputTokens),10} {rows.Sum(r => r.CachedInputTokens),9} {rows.Sum(r => r.OutputTokens),10} {total,11:$#,##0.0000} {total / (decimal)days * 30,13:$#,##0.00}"));
        if (rows.Count > 0)
        {
            var conversations = await store.SumUsageAsync(query with { GroupBy = "run" }, CancellationToken.None);
            var perRun = total / conversations.Count;
            output.WriteLine(Inv($"  {conversations.Count} runs, {perRun:$0.000000} a run on average"));
        }
    }

    public static Dictionary<string, string> Options(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    options[arg[2..eq]] = arg[(eq + 1)..];
                    name = null;
                }
                else
                {
                    name = arg[2..];
                    options[name] = "true";
                }
            }
            else if (name is not null)
            {
                options[name] = arg;
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }

        return options;
    }

    private static long Number(Dictionary<string, string> options, string name, long fallback) =>
        options.TryGetValue(name, out var raw)
            ? long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : throw new ArgumentException($"--{name} must be a whole number >= 0.")
            : fallback;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
