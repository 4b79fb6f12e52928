namespace AgentHost.Tools.Mcp;

/// <summary>One MCP server: a command AgentHost starts (stdio) or a URL it connects to (streamable HTTP).</summary>
public sealed class McpServerOptions
{
    /// <summary>The program of a stdio server, e.g. <c>node</c> or <c>npx</c>, found on the server's <c>PATH</c>.</summary>
    public string? Command { get; set; }

    public List<string> Args { get; set; } = [];

    /// <summary>The only environment variables the server gets besides a minimal <c>PATH</c> and its own <c>HOME</c>.</summary>
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The server's working directory; default: its own home folder.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The endpoint of a streamable-HTTP server.</summary>
    public string? Url { get; set; }

    /// <summary>Headers sent to a streamable-HTTP server (e.g. <c>Authorization</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the server is for, told to the model with its tools.</summary>
    public string? Description { get; set; }

    /// <summary>Overrides <see cref="McpOptions.CallTimeout"/> for this server.</summary>
    public TimeSpan? CallTimeout { get; set; }
}
