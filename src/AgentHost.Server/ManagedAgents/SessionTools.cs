using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// An agent's tools as the engine runs them: the agent toolset as one <c>agent_toolset_20260401</c> definition (its
/// <c>default_config</c> and <c>configs</c> flat in its settings, with <c>container_id</c> naming the session's workspace),
/// custom tools as client-run functions, and each MCP toolset as the <c>mcp</c> tool on its server. Permission policies
/// are not the sources' business: <see cref="SessionToolGate"/> applies them.
/// </summary>
internal static class SessionTools
{
    public const string McpType = "mcp";

    public static IReadOnlyList<ToolDefinition> For(JsonObject agent, string containerId)
    {
        var definitions = new List<ToolDefinition>();
        var servers = agent["mcp_servers"]!.AsArray();
        foreach (var tool in agent["tools"]!.AsArray().Select(t => t!.AsObject()))
        {
            switch ((string)tool["type"]!)
            {
                case AgentReader.ToolsetType:
                    definitions.Add(new ToolDefinition
                    {
                        Type = AgentReader.ToolsetType,
                        Settings = new Dictionary<string, JsonElement>
                        {
                            ["default_config"] = Element(tool["default_config"]!),
                            ["configs"] = Element(tool["configs"]!),
                            ["container_id"] = JsonSerializer.SerializeToElement(containerId, ManagedAgentsJsonContext.Default.String),
                        },
                    });
                    break;
                case AgentReader.CustomType:
                    definitions.Add(new ToolDefinition
                    {
                        Type = ToolTypes.Function,
                        Function = new FunctionDefinition
                        {
                            Name = (string)tool["name"]!,
                            Description = (string?)tool["description"],
                            Parameters = Element(tool["input_schema"]!),
                        },
                    });
                    break;
                case AgentReader.McpToolsetType:
                    var name = (string)tool["mcp_server_name"]!;
                    var server = servers.First(s => (string?)s!["name"] == name)!;
                    definitions.Add(new ToolDefinition
                    {
                        Type = McpType,
                        Settings = new Dictionary<string, JsonElement>
                        {
                            ["server_label"] = Element(JsonValue.Create(name)),
                            ["server_url"] = Element(server["url"]!),
                            ["require_approval"] = Element(JsonValue.Create("never")),
                        },
                    });
                    break;
            }
        }

        return definitions;
    }

    /// <summary>Refuses, before a session starts, tools this host cannot run: the agent toolset without its source, MCP servers the host does not allow.</summary>
    public static IReadOnlyList<ToolDefinition> Check(IReadOnlyList<ToolDefinition> definitions, ToolSources sources)
    {
        var checkedDefinitions = new List<ToolDefinition>(definitions.Count);
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            if (definition.Type == ToolTypes.Function)
            {
                checkedDefinitions.Add(definition);
                continue;
            }

            var source = sources.For(definition.Type) ?? throw ApiException.Invalid(
                $"'agent.tools': this AgentHost cannot run '{(definition.Type == McpType ? AgentReader.McpToolsetType : definition.Type)}' tools (no tool source is registered for them).",
                "agent", "unsupported_tool");
            checkedDefinitions.Add(source.Validate(definition, definition.Type == McpType ? "agent.mcp_servers" : "agent.tools"));
        }

        return checkedDefinitions;
    }

    /// <summary>
    /// The permission policy (<c>always_allow</c> or <c>always_ask</c>) the agent sets for a call the model made to
    /// <paramref name="name"/> of a <paramref name="toolType"/> tool: the agent toolset's tool by its name, an MCP tool
    /// (offered as <c>&lt;server&gt;__&lt;tool&gt;</c>) by its server's toolset.
    /// </summary>
    public static string PolicyFor(JsonObject agent, string toolType, string name)
    {
        foreach (var tool in agent["tools"]!.AsArray().Select(t => t!.AsObject()))
        {
            var type = (string)tool["type"]!;
            string? toolName = null;
            if (type == AgentReader.ToolsetType && toolType == AgentReader.ToolsetType)
            {
                toolName = name;
            }
            else if (type == AgentReader.McpToolsetType && toolType == McpType && name.StartsWith((string)tool["mcp_server_name"]! + "__", StringComparison.Ordinal))
            {
                toolName = name[(((string)tool["mcp_server_name"]!).Length + 2)..];
            }

            if (toolName is null)
            {
                continue;
            }

            var config = tool["configs"]!.AsArray().FirstOrDefault(c => (string?)c!["name"] == toolName) ?? tool["default_config"]!;
            return (string)config["permission_policy"]!["type"]!;
        }

        return toolType == McpType ? "always_ask" : "always_allow";
    }

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node, ManagedAgentsJsonContext.Default.JsonNode);
}
