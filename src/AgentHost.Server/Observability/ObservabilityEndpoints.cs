using System.Globalization;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using AgentHost.Observability.Costs;
using AgentHost.Observability.Metrics;
using AgentHost.Observability.Tracing;
using AgentHost.Server.Observability.Console;
using AgentHost.Server.Observability.Sessions;

namespace AgentHost.Server.Observability;

/// <summary>
/// The observability surface: a run's trace, usage over time, gateway sessions, the price table (AgentHost extensions under
/// <c>/v1</c>, so the API key guards them), Prometheus <c>/metrics</c> and the web console at <c>/console</c>.
/// </summary>
public static class ObservabilityEndpoints
{
    public static IEndpointRouteBuilder MapAgentHostObservability(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/threads/{threadId}/runs/{runId}/trace", GetTraceAsync);
        routes.MapGet("/v1/agenthost/usage", GetUsageAsync);
        routes.MapSessionEndpoints();
        routes.MapGet("/v1/agenthost/prices", (PriceTable prices) =>
            TypedResults.Json(new PriceTableFile { Version = prices.Version, Models = prices.Models }, ObservabilityJsonContext.Default.PriceTableFile));
        routes.MapGet("/metrics", GetMetricsAsync);
        routes.MapConsole();
        return routes;
    }

    private static async Task<IResult> GetTraceAsync(string threadId, string runId, RunService runs, IAgentStore store, ITraceStore traces, TraceWriter writer,
        IRunCostSource costs, PriceTable prices, CancellationToken cancellationToken)
    {
        var run = await runs.GetRunAsync(threadId, runId, cancellationToken);
        await writer.FlushAsync(cancellationToken);
        var spans = await traces.GetRunSpansAsync(runId, cancellationToken);
        var steps = (await store.ListStepsAsync(threadId, runId, new ListQuery { Limit = int.MaxValue, Ascending = true }, cancellationToken)).Data;
        return TypedResults.Json(new RunTrace
        {
            RunId = run.Id,
            ThreadId = run.ThreadId,
            AssistantId = run.AssistantId,
            Model = run.Model,
            Status = run.Status,
            Usage = run.Usage,
            Cost = await costs.CostOfRunAsync(run.Id, cancellationToken),
            PriceTableVersion = prices.Version,
            Spans = FunctionCallSpans.Merge(spans, steps),
        }, ObservabilityJsonContext.Default.RunTrace);
    }

    private static async Task<IResult> GetUsageAsync(HttpRequest http, IUsageLedger ledger, PriceTable prices, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = Seconds(http, "start_time") ?? time.GetUtcNow().AddDays(-30).ToUnixTimeSeconds();
        var end = Seconds(http, "end_time");
        var groupBy = http.Query["group_by"].ToString() is { Length: > 0 } g ? g : null;
        if (groupBy is not null && !UsageGroups.All.Contains(groupBy))
        {
            throw ApiException.Invalid($"Invalid 'group_by': '{groupBy}'. Expected one of {string.Join(", ", UsageGroups.All)}.", "group_by", "invalid_value");
        }

        if (end is not null && end <= start)
        {
            throw ApiException.Invalid("'end_time' must be after 'start_time'.", "end_time", "invalid_value");
        }

        var rows = await ledger.SumUsageAsync(new UsageQuery
        {
            StartMs = start * 1000,
            EndMs = end is { } e ? e * 1000 : long.MaxValue,
            GroupBy = groupBy,
            RunId = Filter(http, "run_id"),
            ThreadId = Filter(http, "thread_id"),
            AssistantId = Filter(http, "assistant_id"),
            ApiKeyId = Filter(http, "api_key_id"),
            SessionId = Filter(http, "session_id"),
            EntryPoint = Filter(http, "entry_point"),
        }, cancellationToken);
        return TypedResults.Json(new UsageReport { StartTime = start, EndTime = end, GroupBy = groupBy, PriceTableVersion = prices.Version, Data = rows },
            ObservabilityJsonContext.Default.UsageReport);
    }

    private static async Task GetMetricsAsync(HttpContext http, ITraceStore traces, AgentHostMetrics metrics, CancellationToken cancellationToken)
    {
        // A project key sees its project's runs and series; the admin key, and a scrape without a key, see every project's.
        var text = metrics.Render(await traces.CountRunsByStatusAsync(cancellationToken), Core.Storage.ProjectScope.Current);
        http.Response.ContentType = PrometheusText.ContentType;
        await http.Response.WriteAsync(text, cancellationToken);
    }

    private static long? Seconds(HttpRequest http, string name)
    {
        var raw = http.Query[name].ToString();
        if (raw.Length == 0)
        {
            return null;
        }

        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return seconds;
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToUnixTimeSeconds()
            : throw ApiException.Invalid($"Invalid '{name}': '{raw}'. Expected unix seconds or an ISO 8601 date.", name, "invalid_value");
    }

    private static string? Filter(HttpRequest http, string name) => http.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
