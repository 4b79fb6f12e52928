using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.Models;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Reads the agent fields of <c>POST /v1/agents</c> (and their overrides on a session) into the agent object's shape,
/// with every default written out: tools, MCP servers, model config. Features AgentHost lacks are refused by name.
/// </summary>
internal static class AgentReader
{
    public const string ToolsetType = "agent_toolset_20260401";
    public const string McpToolsetType = "mcp_toolset";
    public const string CustomType = "custom";

    public static readonly string[] ToolsetTools = ["bash", "edit", "read", "write", "glob", "grep", "web_fetch", "web_search"];

    /// <summary>The model config: a model name or <c>{id, effort, speed, inference_geo}</c>; the router must serve the id.</summary>
    public static JsonObject Model(JsonRequest request, IModelRouter router)
    {
        var value = request.Get("model") ?? throw ApiException.Invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        JsonObject config;
        if (value.ValueKind == JsonValueKind.String)
        {
            config = new JsonObject { ["id"] = value.GetString() };
        }
        else if (request.Object("model") is { } model)
        {
            model.Allow("id", "effort", "speed", "inference_geo");
            config = new JsonObject { ["id"] = model.RequiredString("id", 256) };
            if (model.Get("effort") is { } effort)
            {
                var level = effort.ValueKind == JsonValueKind.String ? effort.GetString() : model.Object("effort")!.Allow("type").RequiredString("type");
                if (level is not ("low" or "medium" or "high" or "xhigh" or "max"))
                {
                    throw model.InvalidValue("effort", $"'{level}' is not one of low, medium, high, xhigh, max.");
                }

                config["effort"] = new JsonObject { ["type"] = level };
            }

            if (model.String("speed") is { } speed)
            {
                config["speed"] = speed is "standard" or "fast" ? speed : throw model.InvalidValue("speed", $"'{speed}' is not one of standard, fast.");
            }

            if (model.String("inference_geo") is { } geo)
            {
                config["inference_geo"] = geo;
            }
        }
        else
        {
            throw request.WrongType("model", "a string or an object", value);
        }

        var id = (string)config["id"]!;
        try
        {
            router.GetClient(id);
        }
        catch (ModelUnavailableException unavailable)
        {
            throw ApiException.Invalid($"'model': {unavailable.Message}", "model", "invalid_model");
        }

        return config;
    }

    /// <summary><c>tools</c>, normalized as the agent object shows them, checked against <paramref name="mcpServers"/>.</summary>
    public static JsonArray Tools(JsonRequest request, JsonArray mcpServers)
    {
        var tools = new JsonArray();
        var index = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in request.Array("tools", 256) ?? [])
        {
            var tool = request.Item(element, "tools", index++);
            var type = tool.RequiredString("type");
            switch (type)
            {
                case ToolsetType:
                    if (tools.Any(t => (string?)t!["type"] == ToolsetType))
                    {
                        throw ApiException.Invalid($"'{tool.Path}': an agent has at most one {ToolsetType}.", tool.Path);
                    }

                    tool.Allow("type", "configs", "default_config");
                    tools.Add(Toolset(tool, type, ToolsetTools, "always_allow", null));
                    break;
                case McpToolsetType:
                    tool.Allow("type", "mcp_server_name", "configs", "default_config");
                    var server = tool.RequiredString("mcp_server_name", 255);
                    if (!mcpServers.Any(s => (string?)s!["name"] == server))
                    {
                        throw tool.InvalidValue("mcp_server_name", $"no MCP server named '{server}' is in mcp_servers.");
                    }

                    if (!referenced.Add(server))
                    {
                        throw tool.InvalidValue("mcp_server_name", $"MCP server '{server}' already has an mcp_toolset.");
                    }

                    tools.Add(Toolset(tool, type, null, "always_ask", server));
                    break;
                case CustomType:
                    tool.Allow("type", "name", "description", "input_schema");
                    var name = tool.RequiredName("name", 64);
                    if (!names.Add(name) || ToolsetTools.Contains(name))
                    {
                        throw tool.InvalidValue("name", $"a tool named '{name}' is already defined.");
                    }

                    var schema = tool.Object("input_schema") ?? throw ApiException.Invalid($"Missing required parameter: '{tool.Name("input_schema")}'.", tool.Name("input_schema"), "missing_required_parameter");
                    if (schema.String("type") != "object")
                    {
                        throw schema.InvalidValue("type", "an input_schema must be of type 'object'.");
                    }

                    tools.Add(new JsonObject
                    {
                        ["type"] = CustomType,
                        ["name"] = name,
                        ["description"] = tool.RequiredString("description", 1024),
                        ["input_schema"] = JsonNode.Parse(schema.Root.GetRawText()),
                    });
                    break;
                default:
                    throw tool.InvalidValue("type", $"'{type}' is not one of {ToolsetType}, {McpToolsetType}, {CustomType}.");
            }
        }

        var unreferenced = mcpServers.Select(s => (string)s!["name"]!).FirstOrDefault(n => !referenced.Contains(n));
        return unreferenced is null
            ? tools
            : throw ApiException.Invalid($"'mcp_servers': MCP server '{unreferenced}' is not referenced by an mcp_toolset in tools.", "mcp_servers");
    }

    /// <summary><c>mcp_servers</c>: <c>{name, type: "url", url}</c>, names unique, at most 20.</summary>
    public static JsonArray McpServers(JsonRequest request)
    {
        var servers = new JsonArray();
        var index = 0;
        foreach (var element in request.Array("mcp_servers", 20) ?? [])
        {
            var server = request.Item(element, "mcp_servers", index++).Allow("name", "type", "url");
            var name = server.RequiredString("name", 255);
            if (server.RequiredString("type") != "url")
            {
                throw server.InvalidValue("type", "only 'url' MCP servers are defined.");
            }

            var url = server.RequiredString("url", 2048);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw server.InvalidValue("url", $"'{url}' is not an absolute http(s) URL.");
            }

            if (name.Length == 0 || servers.Any(s => (string?)s!["name"] == name))
            {
                throw server.InvalidValue("name", $"MCP server names must be non-empty and unique; '{name}' is not.");
            }

            servers.Add(new JsonObject { ["name"] = name, ["type"] = "url", ["url"] = url });
        }

        return servers;
    }

    /// <summary>Refuses what AgentHost lacks: skills, multiagent, an execution identity other than the service account.</summary>
    public static void RefuseUnsupported(JsonRequest request)
    {
        if (request.Array("skills") is { } skills && skills.Any())
        {
            throw Unsupported.Skills("skills");
        }

        if (request.HasNonNull("multiagent"))
        {
            throw Unsupported.MultiAgent("multiagent");
        }

        if (request.Object("execution_identity") is { } identity && identity.RequiredString("type") != "service_account")
        {
            throw Unsupported.Feature("execution_identity", "execution identities other than the service account", "are not supported by AgentHost.");
        }
    }

    private static JsonObject Toolset(JsonRequest tool, string type, string[]? knownTools, string defaultPolicy, string? server)
    {
        var defaults = tool.Object("default_config")?.Allow("enabled", "permission_policy");
        var defaultConfig = new JsonObject
        {
            ["enabled"] = defaults?.Boolean("enabled") ?? true,
            ["permission_policy"] = Policy(defaults, defaultPolicy),
        };
        var configs = new JsonArray();
        var index = 0;
        foreach (var element in tool.Array("configs", 256) ?? [])
        {
            var config = tool.Item(element, "configs", index++);
            var name = config.RequiredString("name", 255);
            if (knownTools is not null && !knownTools.Contains(name))
            {
                throw config.InvalidValue("name", $"'{name}' is not one of {string.Join(", ", knownTools)}.");
            }

            if (configs.Any(c => (string?)c!["name"] == name))
            {
                throw config.InvalidValue("name", $"'{name}' is configured twice.");
            }

            var normalized = new JsonObject { ["name"] = name };
            if (knownTools is not null)
            {
                if (config.String("type") is { } given && given != name)
                {
                    throw config.InvalidValue("type", $"must equal the name '{name}'.");
                }

                normalized["type"] = name;
            }

            normalized["enabled"] = config.Boolean("enabled") ?? (bool)defaultConfig["enabled"]!;
            normalized["permission_policy"] = Policy(config, (string)defaultConfig["permission_policy"]!["type"]!);
            foreach (var extra in config.Root.EnumerateObject().Where(p => p.Name is not ("name" or "type" or "enabled" or "permission_policy")))
            {
                if (knownTools is null || name is not ("web_fetch" or "web_search")
                    || extra.Name is not ("allowed_domains" or "blocked_domains" or "max_content_tokens" or "url_sources" or "user_location"))
                {
                    throw ApiException.Invalid($"Unknown parameter: '{config.Name(extra.Name)}'.", config.Name(extra.Name), "unknown_parameter");
                }

                normalized[extra.Name] = JsonNode.Parse(extra.Value.GetRawText());
            }

            configs.Add(normalized);
        }

        var toolset = new JsonObject { ["type"] = type };
        if (server is not null)
        {
            toolset["mcp_server_name"] = server;
        }

        toolset["default_config"] = defaultConfig;
        toolset["configs"] = configs;
        return toolset;
    }

    private static JsonObject Policy(JsonRequest? config, string fallback)
    {
        var policy = config?.Object("permission_policy")?.Allow("type").RequiredString("type") ?? fallback;
        return policy switch
        {
            "always_allow" or "always_ask" => new JsonObject { ["type"] = policy },
            "auto" => throw Unsupported.Feature(config!.Name("permission_policy"), "the 'auto' permission policy (a classifier deciding each call)",
                "is not available in AgentHost; use always_allow or always_ask."),
            _ => throw config!.InvalidValue("permission_policy", $"'{policy}' is not one of always_allow, always_ask."),
        };
    }
}
