using AgentHost.Core.Domain;

namespace AgentHost.Core.Observability;

/// <summary>What a run has cost so far, for the run object's <c>cost</c> extension field.</summary>
public interface IRunCostSource
{
    Task<RunCost?> CostOfRunAsync(string runId, CancellationToken cancellationToken);
}
