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

    /// <summary>
    /// A tool a front door runs itself outside any run (the Messages API's MCP connector), traced under the scope of the
    /// model call that asked for it (its gateway session, API key and entry point).
    /// </summary>
    IToolCallTrace StartToolCall(ModelCallScope scope, string callId, string toolType, string arguments) => NullRunObserver.Instance;
}
