namespace AgentHost.Core.Observability;

/// <summary>Keeps runs' traces (deleted with their thread) and answers usage questions over them.</summary>
public interface ITraceStore
{
    Task AddSpanAsync(TraceSpan span, CancellationToken cancellationToken);

    /// <summary>A run's spans in the order they started.</summary>
    Task<IReadOnlyList<TraceSpan>> GetRunSpansAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// The cost of each successful model call of a run (null where unpriced), without reading the calls' recorded
    /// requests and responses: the run's <c>cost</c> is refreshed at every status change.
    /// </summary>
    Task<IReadOnlyList<TraceCost?>> GetRunModelCallCostsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Model-call totals grouped as <paramref name="query"/> asks.</summary>
    Task<IReadOnlyList<UsageTotals>> SumUsageAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>How many runs are in each status, for metrics.</summary>
    Task<IReadOnlyDictionary<string, long>> CountRunsByStatusAsync(CancellationToken cancellationToken);
}
