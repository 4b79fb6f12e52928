using System.Collections.Concurrent;
using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Agents;

/// <summary>
/// What each run of this process has cost, its sub-agents' runs included, from the price list: the run object's
/// <c>cost</c> (set at each status change) reads it. Kept in memory; a run's cost is saved with the run when it ends.
/// </summary>
internal sealed class AgentCostLedger : IRunCostSource
{
    private readonly ConcurrentDictionary<string, RunCost> byRun = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> parents = new(StringComparer.Ordinal);

    /// <summary>Counts <paramref name="childRunId"/>'s calls (a sub-agent's run) in <paramref name="parentRunId"/>'s cost too.</summary>
    public void Link(string childRunId, string parentRunId) => parents[childRunId] = parentRunId;

    /// <summary>Adds one call's cost to the run that made it and to every run it is a sub-agent run of.</summary>
    public void Add(string callRunId, RunCost call)
    {
        for (var runId = callRunId; runId is not null; runId = parents.GetValueOrDefault(runId))
        {
            byRun.AddOrUpdate(runId, call, (_, sum) => sum with
            {
                TotalUsd = sum.TotalUsd + call.TotalUsd,
                InputUsd = sum.InputUsd + call.InputUsd,
                OutputUsd = sum.OutputUsd + call.OutputUsd,
                CacheUsd = sum.CacheUsd + call.CacheUsd,
                ModelCalls = sum.ModelCalls + call.ModelCalls,
            });
        }
    }

    /// <summary>Forgets <paramref name="runId"/> once its turn has ended and its cost is saved with it.</summary>
    public void Forget(string runId)
    {
        byRun.TryRemove(runId, out _);
        parents.TryRemove(runId, out _);
    }

    public decimal TotalOf(string runId) => byRun.TryGetValue(runId, out var cost) ? cost.TotalUsd : 0m;

    public Task<RunCost?> CostOfRunAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(byRun.TryGetValue(runId, out var cost) ? cost : null);
}
