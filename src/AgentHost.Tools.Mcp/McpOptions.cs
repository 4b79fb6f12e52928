namespace AgentHost.Tools.Mcp;

/// <summary>MCP servers the operator configured, and the limits AgentHost applies to every MCP server (<c>AgentHost:Mcp</c>).</summary>
public sealed class McpOptions
{
    public const string SectionName = "AgentHost:Mcp";

    /// <summary>The servers by label: <c>AgentHost:Mcp:Servers:&lt;label&gt;:Command</c> (stdio) or <c>…:Url</c> (streamable HTTP).</summary>
    public Dictionary<string, McpServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Remote <c>server_url</c>s a request may name without a configured label: exact URLs, or prefixes ending in
    /// <c>*</c>. None by default, so a request can reach only the servers the operator configured.
    /// </summary>
    public List<string> AllowedUrls { get; set; } = [];

    /// <summary>A server with no call for this long is stopped; the next call starts it again.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long starting a server and its MCP handshake may take.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one tool call may take (progress notifications do not extend it); the call is cancelled after.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Restarts of a server that keeps dying, after which its tools are reported unavailable until <see cref="RestartWindow"/> passes.</summary>
    public int MaxRestarts { get; set; } = 5;

    /// <summary>The window over which <see cref="MaxRestarts"/> is counted.</summary>
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The first wait before restarting a server that died; it doubles with each restart in the window.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most tools offered from one server; the rest are left out (and logged).</summary>
    public int MaxToolsPerServer { get; set; } = 128;

    /// <summary>Most characters of one call's output the model reads; the rest is cut with a note saying so.</summary>
    public int MaxOutputChars { get; set; } = 100_000;

    /// <summary>Largest image one call may return; a larger one is replaced by a note.</summary>
    public int MaxImageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Where stdio servers get their own <c>HOME</c> (one folder per label); default: <c>mcp</c> in the data directory.</summary>
    public string? WorkRoot { get; set; }

    /// <summary>First uid for stdio servers when AgentHost runs as root (one uid per server label).</summary>
    public int UidRangeStart { get; set; } = 62000;

    /// <summary>The model that answers servers' sampling requests; when unset, sampling is not offered to servers.</summary>
    public string? SamplingModel { get; set; }

    /// <summary>Most tokens a sampling answer may have, whatever the server asks.</summary>
    public int SamplingMaxTokens { get; set; } = 1024;
}
