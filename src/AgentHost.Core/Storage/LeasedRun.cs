using AgentHost.Core.Domain;

namespace AgentHost.Core.Storage;

/// <summary>
/// A run its worker now holds, the project it belongs to, so work done for it in the background stays there, and the
/// key that created it (<see cref="ProjectScope.KeyId"/> then; null for a run created without a key, or before keys were
/// kept), so its model calls count against that key's rate limits.
/// </summary>
public sealed record LeasedRun(ThreadRun Run, string Project, string? KeyId = null)
{
    /// <summary>True when the lease also moved the run from queued to in_progress (<see cref="IAgentStore.TryLeaseAndStartRunAsync"/>).</summary>
    public bool Started { get; init; }

    /// <summary>
    /// When <see cref="Started"/>, all the run's steps, read in the lease's transaction where the store can (else null):
    /// under the lease nobody else adds any, so the run's first turn need not read them again.
    /// </summary>
    public IReadOnlyList<RunStep>? Steps { get; init; }
}
