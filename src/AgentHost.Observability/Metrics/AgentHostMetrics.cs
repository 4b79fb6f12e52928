using System.Diagnostics.Metrics;
using System.Text;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;

namespace AgentHost.Observability.Metrics;

/// <summary>
/// AgentHost's metrics, kept for <c>/metrics</c> (Prometheus text) and published on the <c>AgentHost</c>
/// <see cref="Meter"/> for OpenTelemetry export. Run counts by status and queue depth are read from the store at
/// scrape time, so they are right after a restart. Every in-memory series carries the <c>project</c> it was counted
/// in (project ids exist only for projects the admin created, so the label is bounded); a project key's scrape shows
/// its own project's series only. The meter's instruments carry it as the <c>agenthost.project</c> attribute.
/// </summary>
public sealed class AgentHostMetrics : IDisposable
{
    private static readonly double[] LatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    private static readonly double[] ToolBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

    /// <summary>The project a measurement on the meter was counted in (AgentHost's own attribute, so namespaced).</summary>
    public const string ProjectAttribute = "agenthost.project";

    private readonly Meter meter = new(Tracing.AgentHostTelemetry.Name);
    private readonly Histogram<double> modelDuration;
    private readonly Counter<long> tokenCounter;
    private readonly Counter<double> costCounter;
    private readonly Histogram<double> toolDuration;

    private readonly MetricFamily modelCalls = new("agenthost_model_call_duration_seconds", "histogram", "Model call latency, retries and fallback included.", ["project", "provider", "model", "status"], LatencyBuckets);
    private readonly MetricFamily firstUpdate = new("agenthost_model_time_to_first_token_seconds", "histogram", "Time from the call's start to its first streamed update.", ["project", "provider", "model"], LatencyBuckets);
    private readonly MetricFamily tokens = new("agenthost_model_tokens_total", "counter", "Tokens billed, by type (input counts the whole prompt; cached_input and cache_write are parts of it).", ["project", "provider", "model", "type"]);
    private readonly MetricFamily cost = new("agenthost_model_cost_usd_total", "counter", "Cost of model calls in US dollars, from the price table.", ["project", "provider", "model"]);
    private readonly MetricFamily retries = new("agenthost_model_retries_total", "counter", "Model call attempts that failed transiently and were retried.", ["project", "provider", "model"]);
    private readonly MetricFamily fallbacks = new("agenthost_model_fallbacks_total", "counter", "Model calls handed to their fallback model.", ["project", "provider", "model"]);
    private readonly MetricFamily tools = new("agenthost_tool_call_duration_seconds", "histogram", "Built-in tool call latency.", ["project", "tool"], ToolBuckets);
    private readonly MetricFamily toolErrors = new("agenthost_tool_call_errors_total", "counter", "Built-in tool calls that failed.", ["project", "tool"]);
    private readonly MetricFamily budgetStops = new("agenthost_budget_stops_total", "counter", "Runs ended incomplete by a budget.", ["project", "scope"]);

    private readonly ModelLabels labels;

    /// <param name="configuredModels">The configured model names and aliases (the router's); null keeps every name.</param>
    public AgentHostMetrics(Func<IEnumerable<string>?>? configuredModels = null)
    {
        labels = new ModelLabels(configuredModels ?? (() => null));
        modelDuration = meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "Model call latency.");
        tokenCounter = meter.CreateCounter<long>("gen_ai.client.token.usage", "{token}", "Tokens billed.");
        costCounter = meter.CreateCounter<double>("agenthost.model.cost", "USD", "Cost of model calls.");
        toolDuration = meter.CreateHistogram<double>("agenthost.tool.duration", "s", "Built-in tool call latency.");
    }

    public void ModelCall(string project, string provider, string model, string status, TimeSpan elapsed, long? firstUpdateMs, TraceUsage? usage, TraceCost? callCost)
    {
        model = labels.For(model, status);
        modelCalls.Observe(elapsed.TotalSeconds, project, provider, model, status);
        modelDuration.Record(elapsed.TotalSeconds, new(ProjectAttribute, project), new("gen_ai.provider.name", provider), new("gen_ai.request.model", model));
        if (firstUpdateMs is { } first)
        {
            firstUpdate.Observe(first / 1000.0, project, provider, model);
        }

        if (usage is not null)
        {
            tokens.Add(usage.InputTokens, project, provider, model, "input");
            tokens.Add(usage.OutputTokens, project, provider, model, "output");
            tokens.Add(usage.CachedInputTokens, project, provider, model, "cached_input");
            tokens.Add(usage.CacheWriteTokens, project, provider, model, "cache_write");
            tokenCounter.Add(usage.InputTokens, new(ProjectAttribute, project), new("gen_ai.provider.name", provider), new("gen_ai.request.model", model), new("gen_ai.token.type", "input"));
            tokenCounter.Add(usage.OutputTokens, new(ProjectAttribute, project), new("gen_ai.provider.name", provider), new("gen_ai.request.model", model), new("gen_ai.token.type", "output"));
        }

        if (callCost is not null)
        {
            cost.Add((double)callCost.TotalUsd, project, provider, model);
            costCounter.Add((double)callCost.TotalUsd, new(ProjectAttribute, project), new("gen_ai.provider.name", provider), new("gen_ai.request.model", model));
        }
    }

    /// <summary>A retried attempt, counted in the project of the call (the current <see cref="ProjectScope"/>).</summary>
    public void Retry(string provider, string model) => retries.Add(1, ProjectScope.ForWrite, provider, labels.For(model));

    /// <summary>A call handed to its fallback, counted in the project of the call (the current <see cref="ProjectScope"/>).</summary>
    public void Fallback(string provider, string model) => fallbacks.Add(1, ProjectScope.ForWrite, provider, labels.For(model));

    public void ToolCall(string project, string tool, TimeSpan elapsed, bool failed)
    {
        tools.Observe(elapsed.TotalSeconds, project, tool);
        toolDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(ProjectAttribute, project), new KeyValuePair<string, object?>("gen_ai.tool.name", tool));
        toolErrors.Add(failed ? 1 : 0, project, tool);
    }

    /// <summary>A budget stop, counted in the project of the call (the current <see cref="ProjectScope"/>).</summary>
    public void BudgetStop(string scope) => budgetStops.Add(1, ProjectScope.ForWrite, scope);

    /// <summary>
    /// The exposition: runs by status and queue depth (from the store, already limited to the reader's project), then
    /// the in-memory families — every series, or only those of <paramref name="project"/> when given.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, long> runsByStatus, string? project = null)
    {
        var text = new StringBuilder();
        PrometheusText.Header(text, "agenthost_runs", "gauge", "Runs in the store by status.");
        foreach (var (status, count) in runsByStatus.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            PrometheusText.Sample(text, "agenthost_runs", [new("status", status)], count);
        }

        PrometheusText.Header(text, "agenthost_run_queue_depth", "gauge", "Runs waiting for a worker (queued).");
        PrometheusText.Sample(text, "agenthost_run_queue_depth", [], runsByStatus.GetValueOrDefault("queued"));
        foreach (var family in new[] { modelCalls, firstUpdate, tokens, cost, retries, fallbacks, tools, toolErrors, budgetStops })
        {
            family.Write(text, project);
        }

        return text.ToString();
    }

    public void Dispose() => meter.Dispose();
}
