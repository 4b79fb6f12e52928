namespace AgentHost.Server.AnthropicApi;

/// <summary>A <c>tool_result</c> the client marked <c>is_error</c>; M.E.AI carries that as the result's exception.</summary>
internal sealed class ToolResultError(string message) : Exception(message);
