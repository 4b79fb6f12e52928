using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Observability;

/// <summary>A run's <c>cost</c> field: the usage ledger's running total for the run, one keyed read.</summary>
internal sealed class RunCostSource(IUsageLedger ledger) : IRunCostSource
{
    public async Task<RunCost?> CostOfRunAsync(string runId, CancellationToken cancellationToken)
    {
        var spend = await ledger.GetSpendAsync(SpendScopes.Run, runId, SpendScopes.Lifetime, cancellationToken);
        return spend.ModelCalls == 0 ? null : new RunCost
        {
            TotalUsd = spend.CostUsd,
            InputUsd = spend.InputUsd,
            OutputUsd = spend.OutputUsd,
            CacheUsd = spend.CacheUsd,
            ModelCalls = (int)spend.ModelCalls,
            UnpricedCalls = (int)spend.UnpricedCalls,
        };
    }
}
