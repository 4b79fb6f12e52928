using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>What a session update may change: its budget, and (while idle) its agent's tools and MCP servers.</summary>
internal static class SessionUpdates
{
    public static JsonObject Budget(JsonRequest request)
    {
        var budget = request.Object("budget")!.Allow("type", "max_list_cost");
        if (budget.RequiredString("type") != "limit")
        {
            throw budget.InvalidValue("type", "must be 'limit'.");
        }

        var cost = budget.Object("max_list_cost")?.Allow("amount", "currency")
            ?? throw ApiException.Invalid($"Missing required parameter: '{budget.Name("max_list_cost")}'.", budget.Name("max_list_cost"), "missing_required_parameter");
        var amount = cost.RequiredString("amount");
        if (amount.Length is 0 or > 15 || !amount.All(char.IsAsciiDigit) || (amount.Length > 1 && amount[0] == '0'))
        {
            throw cost.InvalidValue("amount", $"'{amount}' is not an amount in cents (an integer string with no leading zeros, e.g. \"2500\" for $25.00).");
        }

        return cost.RequiredString("currency") == "USD"
            ? new JsonObject { ["type"] = "limit", ["max_list_cost"] = new JsonObject { ["amount"] = amount, ["currency"] = "USD" } }
            : throw cost.InvalidValue("currency", "only USD is supported.");
    }

    /// <summary>Replaces the snapshot's tools and/or MCP servers, checked together.</summary>
    public static void Tools(JsonObject agent, JsonRequest update)
    {
        var servers = update.Has("mcp_servers") ? AgentReader.McpServers(update) : agent["mcp_servers"]!.DeepClone().AsArray();
        var tools = update.Has("tools")
            ? AgentReader.Tools(update, servers)
            : AgentReader.Tools(new JsonRequest(System.Text.Json.JsonDocument.Parse(new JsonObject { ["tools"] = agent["tools"]!.DeepClone() }.ToJsonString()).RootElement), servers);
        agent["mcp_servers"] = servers;
        agent["tools"] = tools;
    }
}
