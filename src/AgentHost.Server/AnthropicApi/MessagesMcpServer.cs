using AgentHost.Tools.Mcp;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// One entry of a Messages call's <c>mcp_servers</c>, with the tool settings of its <c>mcp_toolset</c> (or, in the
/// older shape, its <c>tool_configuration</c>): which of the server's tools the model is offered.
/// </summary>
internal sealed record MessagesMcpServer(string Name, McpServerReference Server)
{
    /// <summary>False when no tool is offered unless <see cref="Configs"/> enables it.</summary>
    public bool EnabledByDefault { get; init; } = true;

    /// <summary><c>tool_configuration.allowed_tools</c>: only these tools, when set.</summary>
    public IReadOnlySet<string>? AllowedTools { get; init; }

    /// <summary><c>mcp_toolset.configs</c>: per tool, enabled or not, over the default.</summary>
    public IReadOnlyDictionary<string, bool> Configs { get; init; } = new Dictionary<string, bool>();

    public bool Offers(string tool) =>
        (AllowedTools is null || AllowedTools.Contains(tool)) && (Configs.TryGetValue(tool, out var enabled) ? enabled : EnabledByDefault);
}
