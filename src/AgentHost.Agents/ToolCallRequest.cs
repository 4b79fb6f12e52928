using AgentHost.Core.Domain;

namespace AgentHost.Agents;

/// <summary>A tool call the model made, as hooks and permission callbacks see it.</summary>
/// <param name="SessionId">The session (thread) the call belongs to.</param>
/// <param name="RunId">The turn's run.</param>
/// <param name="CallId">The model's id for the call.</param>
/// <param name="Name">The function's name as the model called it.</param>
/// <param name="Arguments">The call's JSON arguments.</param>
public sealed record ToolCallRequest(string SessionId, string RunId, string CallId, string Name, string Arguments)
{
    /// <summary>
    /// The kind of tool: <c>function</c> for the agent's C# functions and sub-agents, else the built-in's type
    /// (<c>code_interpreter</c>, <c>file_search</c>, <c>mcp</c>, …), which AgentHost runs itself.
    /// </summary>
    public string ToolType { get; init; } = ToolTypes.Function;

    /// <summary>The name of the agent making the call: a parent's hooks see its sub-agents' calls under their names.</summary>
    public string AgentName { get; init; } = string.Empty;

    /// <summary>0 for the session's own agent, 1 for its sub-agents, 2 for theirs, ….</summary>
    public int Depth { get; init; }
}
