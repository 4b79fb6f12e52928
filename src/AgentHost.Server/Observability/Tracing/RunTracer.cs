using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Observability;
using AgentHost.Server.Hosting;
using AgentHost.Server.Observability.Budgets;
using AgentHost.Server.Observability.Costs;
using AgentHost.Server.Observability.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Observability.Tracing;

/// <summary>
/// The <see cref="IRunObserver"/> behind traces, costs, budgets and metrics. Recording never fails a run: a span
/// that cannot be saved is logged and dropped.
/// </summary>
internal sealed partial class RunTracer(
    ITraceStore store,
    PriceTable prices,
    AgentHostMetrics metrics,
    BudgetGuard budgets,
    IOptions<AgentHostOptions> hostOptions,
    TimeProvider time,
    ILogger<RunTracer> logger) : IRunObserver
{
    public TimeProvider Time => time;

    public PriceTable Prices => prices;

    public AgentHostMetrics Metrics => metrics;

    public string ApiKeyId { get; } = ApiKeyIdentity.Of(hostOptions.Value.ApiKey);

    public async ValueTask<string?> CheckBeforeModelCallAsync(ThreadRun run, Prompt prompt, int? maxOutputTokens, CancellationToken cancellationToken)
    {
        if (await budgets.CheckAsync(run, prompt.EstimatedTokens, maxOutputTokens, ApiKeyId, cancellationToken) is not { } stop)
        {
            return null;
        }

        metrics.BudgetStop(stop.Scope);
        await SaveAsync(NewSpan(TraceSpanKinds.BudgetStop, run, time.GetUtcNow().ToUnixTimeMilliseconds()) with
        {
            Status = "stopped",
            Model = run.Model,
            Error = stop.Message,
        });
        return stop.Reason;
    }

    public IModelCallTrace StartModelCall(ThreadRun run, Prompt prompt, ChatOptions options) => new ModelCallRecorder(this, run, prompt, options);

    public IToolCallTrace StartToolCall(ThreadRun run, string callId, string toolType, string arguments) =>
        new ToolCallRecorder(this, run, callId, toolType, arguments);

    /// <summary><c>anthropic</c>, <c>openai</c>, or the compatible server named in <c>server:model</c>.</summary>
    public string ProviderOf(string model)
    {
        var colon = model.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            return model[..colon];
        }

        return prices.Find(model)?.Provider ?? (model.StartsWith("claude", StringComparison.OrdinalIgnoreCase) ? "anthropic" : "openai");
    }

    /// <summary>A span of <paramref name="run"/> with a new id, its owners and who pays filled in.</summary>
    public TraceSpan NewSpan(string kind, ThreadRun run, long startedAt) => new()
    {
        Id = "span_" + Guid.NewGuid().ToString("N")[..24],
        Kind = kind,
        RunId = run.Id,
        ThreadId = run.ThreadId,
        AssistantId = run.AssistantId,
        ApiKeyId = ApiKeyId,
        StartedAt = startedAt,
    };

    public async Task SaveAsync(TraceSpan span)
    {
        try
        {
            await store.AddSpanAsync(span, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogSpanNotSaved(logger, span.Kind, span.RunId, e);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "A {Kind} span of run {RunId} could not be saved")]
    private static partial void LogSpanNotSaved(ILogger logger, string kind, string runId, Exception exception);
}
