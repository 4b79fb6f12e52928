using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// An environment's <c>config</c>: where its sessions run. <c>cloud</c> maps to AgentHost's sandbox, which has no network:
/// networking is <c>limited</c> with no hosts (the default); allowed hosts would need a host-side proxy the sandbox
/// reaches through a bound socket, which AgentHost does not have yet, so they are refused naming the setting. Packages
/// must already be on the host (the sandbox sees the host's system read-only); anything else is refused naming it.
/// </summary>
internal static class EnvironmentConfigReader
{
    private static readonly string[] Managers = ["apt", "cargo", "gem", "go", "npm", "pip"];

    public static JsonObject Read(JsonRequest request, HostPackages packages)
    {
        if (request.Object("config") is not { } config)
        {
            return Default();
        }

        var type = config.RequiredString("type");
        if (type == "self_hosted")
        {
            throw Unsupported.Feature("config.type", "self_hosted environments (sessions run by your own worker)", "are not supported by AgentHost, which is itself the host: use 'cloud'.");
        }

        if (type != "cloud")
        {
            throw config.InvalidValue("type", $"'{type}' is not one of cloud, self_hosted.");
        }

        config.Allow("type", "networking", "packages");
        return new JsonObject { ["type"] = "cloud", ["networking"] = Networking(config), ["packages"] = Packages(config, packages) };
    }

    public static JsonObject Default() => new()
    {
        ["type"] = "cloud",
        ["networking"] = NoNetwork(false),
        ["packages"] = new JsonObject { ["type"] = "packages", ["apt"] = new JsonArray(), ["cargo"] = new JsonArray(), ["gem"] = new JsonArray(), ["go"] = new JsonArray(), ["npm"] = new JsonArray(), ["pip"] = new JsonArray() },
    };

    private static JsonObject NoNetwork(bool allowMcpServers) => new()
    {
        ["type"] = "limited",
        ["allowed_hosts"] = new JsonArray(),
        ["allow_mcp_servers"] = allowMcpServers,
        ["allow_package_managers"] = false,
    };

    private static JsonObject Networking(JsonRequest config)
    {
        if (config.Object("networking") is not { } networking)
        {
            return NoNetwork(false);
        }

        var type = networking.RequiredString("type");
        if (type == "unrestricted")
        {
            throw Unsupported.Feature("config.networking", "'unrestricted' networking",
                "is not available: AgentHost's sandbox has no network. Use {\"type\": \"limited\"} with no allowed_hosts.");
        }

        if (type != "limited")
        {
            throw networking.InvalidValue("type", $"'{type}' is not one of limited, unrestricted.");
        }

        networking.Allow("type", "allowed_hosts", "allow_mcp_servers", "allow_package_managers");
        if (networking.Array("allowed_hosts") is { } hosts && hosts.Any())
        {
            throw Unsupported.Feature("config.networking.allowed_hosts", "reaching hosts from the sandbox",
                "needs a host-side proxy the sandbox reaches through a bound socket, which AgentHost does not have yet: sessions run with no network. Leave allowed_hosts empty.");
        }

        if (networking.Boolean("allow_package_managers") == true)
        {
            throw Unsupported.Feature("config.networking.allow_package_managers", "reaching package registries from the sandbox",
                "needs a host-side proxy, which AgentHost does not have yet. List packages the host already has under config.packages instead.");
        }

        // MCP servers are called by AgentHost itself, never from inside the sandbox, so this switch changes nothing there.
        return NoNetwork(networking.Boolean("allow_mcp_servers") ?? false);
    }

    private static JsonObject Packages(JsonRequest config, HostPackages host)
    {
        var packages = config.Object("packages")?.Allow([.. Managers, "type"]);
        if (packages?.String("type") is { } type && type != "packages")
        {
            throw packages.InvalidValue("type", "must be 'packages'.");
        }

        var result = new JsonObject { ["type"] = "packages" };
        foreach (var manager in Managers)
        {
            var names = packages is null ? [] : packages.Strings(manager, 256);
            foreach (var name in names)
            {
                if (host.Missing(manager, name) is { } why)
                {
                    throw Unsupported.Feature($"config.packages.{manager}", $"the package '{name}'", why);
                }
            }

            result[manager] = new JsonArray([.. names.Select(n => (JsonNode)n)]);
        }

        return result;
    }
}
