using AgentHost.Core.Domain;

namespace AgentHost.Core.Observability;

/// <summary>
/// Sees the tools a run executes itself. Model calls are observed in the model-call pipeline
/// (<see cref="Models.IModelCallLayer"/>), not here.
/// </summary>
public interface IRunObserver
{
    /// <summary>A tool the server runs itself starts; <paramref name="arguments"/> is its JSON input.</summary>
    IToolCallTrace StartToolCall(ThreadRun run, string callId, string toolType, string arguments);
}
