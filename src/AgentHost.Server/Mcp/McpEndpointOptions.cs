namespace AgentHost.Server.Mcp;

/// <summary>AgentHost's own MCP server at <c>/mcp</c> (section <c>AgentHost:McpEndpoint</c>).</summary>
public sealed class McpEndpointOptions
{
    public const string SectionName = "AgentHost:McpEndpoint";

    /// <summary>False removes <c>/mcp</c>. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An MCP session with no requests for this long ends, and its sandbox session is stopped. Default: 30 minutes.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an assistant tool may run before its run is cancelled and the call reports a timeout. Default: 10 minutes.</summary>
    public TimeSpan AssistantTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many assistants (the newest) are offered as tools. Default: 100.</summary>
    public int MaxAssistantTools { get; set; } = 100;
}
