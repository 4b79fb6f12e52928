using AgentHost.Core.Domain;

namespace AgentHost.Core.Tools;

/// <summary>What a tool source did with a call: the call as the step records it, and any decision it waits for.</summary>
public sealed record ToolCallOutcome(StepToolCall Record)
{
    /// <summary>Set when the call must not run before the caller decides; the run pauses in <c>requires_action</c>.</summary>
    public ToolApprovalRequest? Approval { get; init; }
}

/// <summary>
/// A decision the run waits for, rendered to the Assistants API as a function call the caller answers through
/// <c>submit_tool_outputs</c> (for MCP: <c>mcp_approval</c> with server, tool and arguments).
/// </summary>
/// <param name="Kind">What is decided: <c>mcp_approval</c> or <c>permission</c>.</param>
/// <param name="Name">The name of the function call the caller sees.</param>
/// <param name="Arguments">Its arguments as JSON text.</param>
public sealed record ToolApprovalRequest(string Kind, string Name, string Arguments);
