using AgentHost.Core.Domain;

namespace AgentHost.Core.Tools;

/// <summary>A tool call the model made, as a <see cref="IToolCallGate"/> sees it before (and after) the engine runs it.</summary>
/// <param name="Run">The run making the call.</param>
/// <param name="CallId">The model's id for the call.</param>
/// <param name="ToolType">The <c>type</c> of the tool definition serving it: <c>code_interpreter</c>, <c>file_search</c>, <c>mcp</c>, ….</param>
/// <param name="Name">The function name the model called.</param>
/// <param name="Arguments">The call's JSON arguments.</param>
public sealed record ToolCallCheck(ThreadRun Run, string CallId, string ToolType, string Name, string Arguments);
