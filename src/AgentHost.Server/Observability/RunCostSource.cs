using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability;

/// <summary>A run's <c>cost</c> field: the sum of its model calls' costs.</summary>
internal sealed class RunCostSource(ITraceStore traces) : IRunCostSource
{
    public async Task<RunCost?> CostOfRunAsync(string runId, CancellationToken cancellationToken) =>
        Sum(await traces.GetRunModelCallCostsAsync(runId, cancellationToken));

    public static RunCost? Sum(IReadOnlyList<TraceSpan> spans) =>
        Sum([.. spans.Where(s => s.Kind == TraceSpanKinds.ModelCall && s.Status == "ok").Select(s => s.Cost)]);

    /// <param name="calls">The cost of each successful model call, null where the model has no price.</param>
    private static RunCost? Sum(IReadOnlyList<TraceCost?> calls)
    {
        if (calls.Count == 0)
        {
            return null;
        }

        var priced = calls.OfType<TraceCost>().ToList();
        return new RunCost
        {
            TotalUsd = priced.Sum(c => c.TotalUsd),
            InputUsd = priced.Sum(c => c.InputUsd),
            OutputUsd = priced.Sum(c => c.OutputUsd),
            CacheUsd = priced.Sum(c => c.CachedInputUsd + c.CacheWriteUsd),
            ModelCalls = calls.Count,
            UnpricedCalls = calls.Count - priced.Count,
        };
    }
}
