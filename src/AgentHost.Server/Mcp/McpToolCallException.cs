namespace AgentHost.Server.Mcp;

/// <summary>A call that cannot be served as asked; the caller gets a result with <c>isError</c> and this message, which a model can act on.</summary>
internal sealed class McpToolCallException(string message) : Exception(message);
