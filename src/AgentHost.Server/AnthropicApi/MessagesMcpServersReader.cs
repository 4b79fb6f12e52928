using System.Text.Json;
using AgentHost.Tools.Mcp;
using static AgentHost.Server.AnthropicApi.AnthropicField;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// Reads <c>mcp_servers</c> and the <c>mcp_toolset</c> entries of <c>tools</c> (the MCP connector, betas
/// <c>mcp-client-2025-04-04</c> and <c>mcp-client-2025-11-20</c>). A server's <c>name</c> must be a configured server's
/// label (its <c>url</c>, if it has one, must then match), or its <c>url</c> must match <c>AgentHost:Mcp:AllowedUrls</c>:
/// a request never starts a process.
/// </summary>
internal static class MessagesMcpServersReader
{
    public static IReadOnlyList<MessagesMcpServer> Read(JsonElement body, McpToolbox toolbox, List<string> dropped)
    {
        var servers = new List<MessagesMcpServer>();
        var index = 0;
        foreach (var entry in Items(body, "mcp_servers"))
        {
            servers.Add(Server(entry, $"mcp_servers.{index++}", toolbox, servers));
        }

        var toolsets = new HashSet<string>(StringComparer.Ordinal);
        index = 0;
        foreach (var tool in Items(body, "tools"))
        {
            var path = $"tools.{index++}";
            if (tool.ValueKind != JsonValueKind.Object || String(tool, "type", path) != "mcp_toolset")
            {
                continue;
            }

            Allow(tool, path, "type", "mcp_server_name", "default_config", "configs", "cache_control");
            var name = RequiredString(tool, "mcp_server_name", path);
            var at = servers.FindIndex(s => s.Name == name);
            if (at < 0)
            {
                throw Invalid(Path(path, "mcp_server_name"), $"'{name}' does not name a server in 'mcp_servers'");
            }

            if (!toolsets.Add(name))
            {
                throw Invalid(Path(path, "mcp_server_name"), $"MCP server '{name}' is referenced by more than one mcp_toolset");
            }

            servers[at] = Toolset(tool, path, servers[at], dropped);
        }

        return servers;
    }

    private static MessagesMcpServer Server(JsonElement entry, string path, McpToolbox toolbox, List<MessagesMcpServer> earlier)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Input should be a valid dictionary");
        }

        Allow(entry, path, "type", "url", "name", "authorization_token", "tool_configuration");
        var type = RequiredString(entry, "type", path);
        if (type != "url")
        {
            throw Invalid(Path(path, "type"), $"Input should be 'url', not '{type}'");
        }

        var name = RequiredString(entry, "name", path);
        if (name.Length is 0 or > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw Invalid(Path(path, "name"), "String should match pattern '^[a-zA-Z0-9_-]{1,40}$' (AgentHost offers the tools as '<name>__<tool>')");
        }

        if (earlier.Any(s => s.Name == name))
        {
            throw Invalid(Path(path, "name"), $"MCP server names must be unique; '{name}' appears twice");
        }

        var url = RequiredString(entry, "url", path);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw Invalid(Path(path, "url"), "Input should be a valid http(s) URL");
        }

        var token = String(entry, "authorization_token", path);
        McpServerReference server;
        if (toolbox.IsConfigured(name, out var configuredUrl))
        {
            // A configured server is named by its label; a stdio one has no URL to compare, an HTTP one must be given its own.
            if (configuredUrl is not null && !string.Equals(url, configuredUrl, StringComparison.Ordinal))
            {
                throw Invalid(Path(path, "url"), $"'{url}' is not the URL of the configured MCP server '{name}'");
            }

            if (token is not null)
            {
                throw Invalid(Path(path, "authorization_token"), $"the configured MCP server '{name}' uses the credentials of AgentHost's configuration; send none");
            }

            server = new McpServerReference(name);
        }
        else
        {
            server = new McpServerReference(name, url)
            {
                Headers = token is null
                    ? new Dictionary<string, string>()
                    : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer " + token },
            };
            if (toolbox.Refusal(server) is { } refusal)
            {
                throw Invalid(Path(path, refusal.Part == "label" ? "name" : "url"), refusal.Message);
            }
        }

        var result = new MessagesMcpServer(name, server);
        if (Object(entry, "tool_configuration", path) is { } configuration)
        {
            var configurationPath = Path(path, "tool_configuration");
            Allow(configuration, configurationPath, "enabled", "allowed_tools");
            result = result with
            {
                EnabledByDefault = Boolean(configuration, "enabled", configurationPath) ?? true,
                AllowedTools = Array(configuration, "allowed_tools", configurationPath) is { } allowed ? Names(allowed, Path(configurationPath, "allowed_tools")) : null,
            };
        }

        return result;
    }

    private static MessagesMcpServer Toolset(JsonElement tool, string path, MessagesMcpServer server, List<string> dropped)
    {
        var enabled = server.EnabledByDefault;
        if (Object(tool, "default_config", path) is { } defaults)
        {
            var defaultsPath = Path(path, "default_config");
            Allow(defaults, defaultsPath, "enabled", "defer_loading");
            enabled = Boolean(defaults, "enabled", defaultsPath) ?? true;
            NoteDeferLoading(defaults, defaultsPath, dropped);
        }

        var configs = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (Object(tool, "configs", path) is { } perTool)
        {
            foreach (var config in perTool.EnumerateObject())
            {
                var configPath = Path(Path(path, "configs"), config.Name);
                if (config.Value.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(configPath, "Input should be a valid dictionary");
                }

                Allow(config.Value, configPath, "enabled", "defer_loading");
                NoteDeferLoading(config.Value, configPath, dropped);
                if (Boolean(config.Value, "enabled", configPath) is { } on)
                {
                    configs[config.Name] = on;
                }
            }
        }

        return server with { EnabledByDefault = enabled, Configs = configs };
    }

    private static void NoteDeferLoading(JsonElement config, string path, List<string> dropped)
    {
        // AgentHost has no tool search: every enabled tool is offered up front.
        if (Get(config, "defer_loading") is not null && !dropped.Contains("tools[].mcp_toolset.defer_loading"))
        {
            Boolean(config, "defer_loading", path);
            dropped.Add("tools[].mcp_toolset.defer_loading");
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement body, string name) => Array(body, name) is { } items ? items : [];

    private static HashSet<string> Names(JsonElement.ArrayEnumerator items, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in items)
        {
            names.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid($"{path}.{i}", "Input should be a valid string"));
            i++;
        }

        return names;
    }
}
