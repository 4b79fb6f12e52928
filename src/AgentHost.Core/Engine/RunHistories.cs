using AgentHost.Core.Domain;

namespace AgentHost.Core.Engine;

/// <summary>The registered <see cref="IRunHistory"/> of each front door, by entry point.</summary>
public sealed class RunHistories(IEnumerable<IRunHistory> histories)
{
    private readonly Dictionary<string, IRunHistory> byEntryPoint = histories.ToDictionary(h => h.EntryPoint, StringComparer.Ordinal);

    /// <summary>The history of a run with a <see cref="ThreadRun.Profile"/>; null for an Assistants run.</summary>
    /// <exception cref="InvalidOperationException">No history is registered for the run's entry point.</exception>
    public IRunHistory? For(ThreadRun run) => run.Profile is not { } profile
        ? null
        : byEntryPoint.GetValueOrDefault(profile.EntryPoint)
            ?? throw new InvalidOperationException($"Run {run.Id} comes from '{profile.EntryPoint}', for which no IRunHistory is registered.");
}
