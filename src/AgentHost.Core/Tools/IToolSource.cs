using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools;

/// <summary>
/// A source of tools AgentHost runs itself (code interpreter, file search, MCP servers, sub-agents): it turns a tool
/// definition of a run into the functions the model sees, runs calls, and describes recorded calls. The engine knows
/// no source by name; <c>function</c> tools, which the caller runs, are the only kind it handles itself.
/// </summary>
public interface IToolSource
{
    /// <summary>The tool definition types this source serves, which are also the types of the step calls it records.</summary>
    IReadOnlyCollection<string> Types { get; }

    /// <summary>
    /// Reads and checks a definition as a request gave it (<see cref="ToolDefinition.Settings"/>), throwing an
    /// <c>ApiException</c> that names the parameter (<paramref name="parameter"/>, e.g. <c>tools[2]</c>) when it is wrong.
    /// </summary>
    ToolDefinition Validate(ToolDefinition definition, string parameter) => definition;

    /// <summary>
    /// The functions the model is offered for <paramref name="definition"/> in <paramref name="run"/>. Names must be
    /// <c>[A-Za-z0-9_-]{1,64}</c> and stable for the same definition, so recorded calls map back exactly.
    /// </summary>
    ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken);

    /// <summary>Runs one call (or, when it needs a decision first, records it and asks for one).</summary>
    Task<ToolCallOutcome> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken);

    /// <summary>A recorded call as the model saw it, so a resumed run or the next turn replays it faithfully.</summary>
    ToolCallView Describe(StepToolCall call);

    /// <summary>
    /// Records the caller's answer to an approval this source asked for (<see cref="ToolCallOutcome.Approval"/>):
    /// <c>approve</c>, or <c>deny</c> with a reason. Returns the call as recorded after the decision.
    /// </summary>
    StepToolCall Decide(StepToolCall call, ToolDecision decision) => call;

    /// <summary>True when the call was approved and has not run yet: the engine runs it before the next model call.</summary>
    bool AwaitsExecution(StepToolCall call) => false;
}
