using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Server.Responses;

/// <summary>
/// The <c>mcp</c> tool as a response echoes it, in the recorded shape: <c>allowed_tools</c> present (<c>null</c> when
/// not given), filters completed with <c>read_only</c>, and <c>headers</c> always <c>null</c> so credentials sent to a
/// remote server are never shown back.
/// </summary>
internal static class ResponseMcpTool
{
    public const string Type = "mcp";

    public static JsonObject Echo(JsonElement tool)
    {
        var echo = new JsonObject
        {
            ["type"] = Type,
            ["allowed_tools"] = tool.TryGetProperty("allowed_tools", out var allowed) ? Filter(allowed) : null,
            ["headers"] = null,
            ["require_approval"] = tool.TryGetProperty("require_approval", out var approval) ? Approval(approval) : "always",
        };

        // The spec types these as strings, not null: echoed when given (a configured server is named by its label alone).
        foreach (var name in new[] { "server_description", "server_label", "server_url" })
        {
            if (tool.TryGetProperty(name, out var value))
            {
                echo[name] = JsonNode.Parse(value.GetRawText());
            }
        }

        return echo;
    }

    private static JsonNode? Approval(JsonElement approval) => approval.ValueKind == JsonValueKind.Object
        ? new JsonObject
        {
            ["always"] = approval.TryGetProperty("always", out var always) ? Filter(always) : null,
            ["never"] = approval.TryGetProperty("never", out var never) ? Filter(never) : null,
        }
        : JsonNode.Parse(approval.GetRawText());

    private static JsonNode? Filter(JsonElement filter) => filter.ValueKind == JsonValueKind.Object
        ? new JsonObject
        {
            ["read_only"] = filter.TryGetProperty("read_only", out var readOnly) ? JsonNode.Parse(readOnly.GetRawText()) : null,
            ["tool_names"] = filter.TryGetProperty("tool_names", out var names) ? JsonNode.Parse(names.GetRawText()) : null,
        }
        : JsonNode.Parse(filter.GetRawText());
}
