namespace AgentHost.Core.Tools;

/// <summary>
/// Decides each tool call the engine runs itself (built-ins, MCP servers, sub-agents) before it runs, and may replace
/// what the model reads back after. Attached to a run through <see cref="Engine.ToolCallGates"/>; a run without one runs
/// every call as before.
/// </summary>
public interface IToolCallGate
{
    /// <summary>Allow, deny with a reason the model reads, rewrite the arguments, or ask (pause the run for a decision).</summary>
    ValueTask<ToolGateDecision> BeforeAsync(ToolCallCheck call, CancellationToken cancellationToken);

    /// <summary>Sees the output the model is about to read; a non-null answer replaces it.</summary>
    ValueTask<string?> AfterAsync(ToolCallCheck call, ToolCallView result, CancellationToken cancellationToken);
}
