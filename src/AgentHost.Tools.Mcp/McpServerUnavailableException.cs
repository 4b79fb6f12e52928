namespace AgentHost.Tools.Mcp;

/// <summary>A server could not be started or reached, or kept dying and was given up on for now. The message says which and why.</summary>
public sealed class McpServerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
