using AgentHost.Core.Domain;
using AgentHost.Core.Observability;
using AgentHost.Core.Tokens;
using AgentHost.Observability.Budgets;
using AgentHost.Observability.Costs;
using AgentHost.Observability.Metrics;
using AgentHost.Observability.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Observability;

/// <summary>What every observed model call records into: prices, the usage ledger, metrics, budgets and traces.</summary>
internal sealed partial class ModelCallRecording(
    PriceTable prices,
    IUsageLedger ledger,
    AgentHostMetrics metrics,
    BudgetGuard budgets,
    TraceWriter traces,
    ITokenCounter tokens,
    IOptions<ObservabilityOptions> options,
    TimeProvider time,
    ILogger<ModelCallRecording> logger)
{
    public PriceTable Prices => prices;

    public AgentHostMetrics Metrics => metrics;

    public BudgetGuard Budgets => budgets;

    public TraceWriter Traces => traces;

    public ITokenCounter Tokens => tokens;

    public TimeProvider Time => time;

    /// <summary>The cost of the model calls that asked for tools, for each tool call's share in its span.</summary>
    public ToolCallCostShares CostShares { get; } = new();

    /// <summary>The call's API key id: its scope's, else the server's own.</summary>
    public string ApiKeyIdOf(ModelCallScope scope) => scope.ApiKeyId ?? options.Value.ServerApiKeyId;

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

    /// <summary>Writes the call to the ledger before the caller goes on; a failed write is logged, never thrown at the caller.</summary>
    public async Task RecordAsync(ModelCallRecord call)
    {
        try
        {
            await ledger.RecordAsync(call, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotRecorded(logger, call.Id, call.Model, e);
        }
    }

    /// <summary>A budget stopped a call: counted, and traced for the run or session it belongs to.</summary>
    public void BudgetStopped(ModelCallScope scope, string model, BudgetExceededException stop)
    {
        metrics.BudgetStop(stop.Scope);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        var apiKeyId = ApiKeyIdOf(scope);
        var project = Core.Storage.ProjectScope.ForWrite;
        traces.Enqueue(() => NewSpan(TraceSpanKinds.BudgetStop, scope, apiKeyId, project, at) with { Status = "stopped", Model = model, Error = stop.Message });
    }

    /// <summary>A span of the call's scope with a new id, its owners, its project and who pays filled in.</summary>
    public static TraceSpan NewSpan(string kind, ModelCallScope scope, string apiKeyId, string project, long startedAt, string? id = null) => new()
    {
        Project = project,
        Id = id ?? NewId(),
        Kind = kind,
        RunId = scope.RunId,
        ThreadId = scope.ThreadId,
        AssistantId = scope.AssistantId,
        SessionId = scope.SessionId,
        EntryPoint = scope.EntryPoint,
        ApiKeyId = apiKeyId,
        StartedAt = startedAt,
    };

    public static string NewId() => IdGenerator.New("span");

    [LoggerMessage(EventId = 6010, Level = LogLevel.Error, Message = "Model call {CallId} to {Model} could not be written to the usage ledger")]
    private static partial void LogNotRecorded(ILogger logger, string callId, string model, Exception exception);
}
