using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools;

/// <summary>
/// A tool AgentHost runs itself inside a run (code interpreter, file search, MCP, sub-agents), as opposed to a
/// <c>function</c> tool whose output the caller submits.
/// </summary>
public interface IBuiltInTool
{
    /// <summary>The <c>type</c> of tool definition this serves, e.g. <c>code_interpreter</c>.</summary>
    string Type { get; }

    /// <summary>The function the model sees for this tool definition.</summary>
    AIFunctionDeclaration Describe(ToolDefinition definition);

    /// <summary>Runs one call and returns what the step records and what the model reads back.</summary>
    Task<StepToolCall> InvokeAsync(BuiltInToolCall call, CancellationToken cancellationToken);

    /// <summary>The arguments and output the model sees for a recorded call, so a resumed run replays it faithfully.</summary>
    BuiltInCallRecord DescribeCall(StepToolCall call);
}

/// <summary>A call the model made to a built-in tool, with the run it belongs to.</summary>
public sealed record BuiltInToolCall(ThreadRun Run, ToolDefinition Definition, string CallId, string Arguments)
{
    /// <summary>The tool_calls step recording the call, for <c>thread.run.step.delta</c> events the tool streams.</summary>
    public string StepId { get; init; } = string.Empty;

    /// <summary>The call's index in the step's <c>tool_calls</c>.</summary>
    public int Index { get; init; }
}

/// <summary>A built-in call as the model sees it: the arguments it sent and the output it read.</summary>
public sealed record BuiltInCallRecord(string Arguments, string Output);
