namespace AgentHost.Core.Observability;

/// <summary>Keeps traces: runs' (deleted with their thread) and gateway sessions'. Spend is in <see cref="IUsageLedger"/>.</summary>
public interface ITraceStore
{
    /// <summary>Saves spans in one transaction, in the order given.</summary>
    Task AddSpansAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken);

    /// <summary>A run's spans in the order they started.</summary>
    Task<IReadOnlyList<TraceSpan>> GetRunSpansAsync(string runId, CancellationToken cancellationToken);

    /// <summary>A gateway session's spans in the order they started.</summary>
    Task<IReadOnlyList<TraceSpan>> GetSessionSpansAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>How many runs of the current project (every project when there is none) are in each status, for metrics.</summary>
    Task<IReadOnlyDictionary<string, long>> CountRunsByStatusAsync(CancellationToken cancellationToken);
}
