using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>
/// The conversation a run of a front door other than Assistants continues (a response's chain and input, a
/// conversation's items), read as neutral model messages. The engine records the run's own output as its steps and
/// messages; the front door renders that record in its own wire shape and keeps it in its own items when the run ends.
/// </summary>
public interface IRunHistory
{
    /// <summary>The <see cref="RunProfile.EntryPoint"/> whose runs this history serves.</summary>
    string EntryPoint { get; }

    /// <summary>The messages before the run's own output, oldest first, as the model sees them.</summary>
    Task<IReadOnlyList<ChatMessage>> LoadAsync(ThreadRun run, CancellationToken cancellationToken);

    /// <summary>Called once the run has ended (any terminal status): the front door keeps its output as items.</summary>
    Task RunEndedAsync(ThreadRun run, CancellationToken cancellationToken);
}
