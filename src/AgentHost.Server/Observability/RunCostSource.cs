using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability;

/// <summary>A run's <c>cost</c> field: the sum of its model calls' costs.</summary>
internal sealed class RunCostSource(ITraceStore traces) : IRunCostSource
{
    public async Task<RunCost?> CostOfRunAsync(string runId, CancellationToken cancellationToken) =>
        Sum(await traces.GetRunSpansAsync(runId, cancellationToken));

    public static RunCost? Sum(IReadOnlyList<TraceSpan> spans)
    {
        var calls = spans.Where(s => s.Kind == TraceSpanKinds.ModelCall && s.Status == "ok").ToList();
        if (calls.Count == 0)
        {
            return null;
        }

        var priced = calls.Where(c => c.Cost is not null).Select(c => c.Cost!).ToList();
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
