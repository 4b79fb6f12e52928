namespace AgentHost.Agents;

/// <summary>The output of a function call the session already ran, kept while its turn is paused.</summary>
internal sealed record ToolResult(string Output, bool IsError, TimeSpan Duration);
