using AgentHost.Core.Domain;

namespace AgentHost.Core.Tools;

/// <summary>A call the model made to a function a tool source declared, with the run and definition it belongs to.</summary>
/// <param name="Name">The function's name as the model saw it.</param>
/// <param name="Arguments">The arguments as JSON text.</param>
public sealed record ToolInvocation(ThreadRun Run, ToolDefinition Definition, string Name, string CallId, string Arguments)
{
    /// <summary>The tool_calls step recording the call, for <c>thread.run.step.delta</c> events the source streams.</summary>
    public string StepId { get; init; } = string.Empty;

    /// <summary>The call's index in the step's <c>tool_calls</c>.</summary>
    public int Index { get; init; }

    /// <summary>The call as recorded when a decision approved it: run it now, without asking again.</summary>
    public StepToolCall? Approved { get; init; }
}
