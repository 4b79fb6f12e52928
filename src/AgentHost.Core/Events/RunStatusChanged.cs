using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>The run moved to a new status; <see cref="Run"/> is the saved run (error, incomplete reason, usage, cost).</summary>
public sealed record RunStatusChanged(ThreadRun Run) : AgentEvent
{
    /// <summary>True when the run ended or paused for a decision from outside: nothing more follows until it resumes.</summary>
    public bool EndsOrPauses => RunStatus.IsTerminal(Run.Status) || Run.Status == RunStatus.RequiresAction;
}
