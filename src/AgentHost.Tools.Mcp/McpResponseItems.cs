using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// The Responses API's MCP output items, built from what <see cref="McpToolbox"/> returns, in the recorded shapes
/// (<c>ResponsesToolTests/MCPTool*</c>): <c>mcp_list_tools</c>, <c>mcp_approval_request</c> and <c>mcp_call</c>; and
/// the <c>mcp_approval_response</c> input item read back. Renderer-agnostic JSON, so the Responses front door only
/// gives ids and places the items in its output.
/// </summary>
public static class McpResponseItems
{
    /// <summary><c>mcp_list_tools</c>: the server's tools as offered (the server's own names), or the listing's <paramref name="error"/>.</summary>
    public static JsonObject ListTools(string id, string serverLabel, IReadOnlyList<McpToolInfo> tools, string? error = null)
    {
        var item = new JsonObject
        {
            ["id"] = id,
            ["type"] = "mcp_list_tools",
            ["server_label"] = serverLabel,
            ["tools"] = new JsonArray([.. tools.Select(Tool)]),
        };
        if (error is not null)
        {
            item["error"] = error;
        }

        return item;
    }

    /// <summary><c>mcp_approval_request</c>: a call that waits for the caller's <c>mcp_approval_response</c>.</summary>
    public static JsonObject ApprovalRequest(string id, string serverLabel, string name, string arguments) => new()
    {
        ["id"] = id,
        ["type"] = "mcp_approval_request",
        ["arguments"] = arguments,
        ["name"] = name,
        ["server_label"] = serverLabel,
    };

    /// <summary>
    /// <c>mcp_call</c>: the call and its <c>output</c>, or its <c>error</c> (the server unreachable, the call failed or
    /// was denied). <paramref name="approvalRequestId"/> names the approval it followed, if any.
    /// </summary>
    public static JsonObject Call(string id, string serverLabel, string name, string arguments, McpToolCallResult? result, string? approvalRequestId = null,
        string? deniedReason = null) => new()
    {
        ["id"] = id,
        ["type"] = "mcp_call",
        ["approval_request_id"] = approvalRequestId,
        ["arguments"] = arguments,
        ["error"] = deniedReason is not null ? "The user denied this call: " + deniedReason : result?.Error ?? (result is { IsError: true } ? result.Output : null),
        ["name"] = name,
        ["output"] = deniedReason is null && result is { Error: null } ? result.Output : null,
        ["server_label"] = serverLabel,
    };

    /// <summary>
    /// Reads an <c>mcp_approval_response</c> input item (<c>approval_request_id</c>, <c>approve</c>, optional
    /// <c>reason</c>); throws <see cref="FormatException"/> naming the field that is wrong.
    /// </summary>
    public static McpApprovalAnswer ReadApprovalResponse(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var type) || type.GetString() != "mcp_approval_response")
        {
            throw new FormatException("Expected an input item of type 'mcp_approval_response'.");
        }

        var requestId = item.TryGetProperty("approval_request_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException("'approval_request_id' must be the id of an mcp_approval_request item.");
        var approve = item.TryGetProperty("approve", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? flag.GetBoolean()
            : throw new FormatException("'approve' must be true or false.");
        var reason = item.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString() : null;
        return new McpApprovalAnswer(requestId, approve, reason);
    }

    private static JsonNode Tool(McpToolInfo tool) => new JsonObject
    {
        ["annotations"] = new JsonObject { ["read_only"] = tool.ReadOnly },
        ["description"] = tool.Description,
        ["input_schema"] = JsonNode.Parse(tool.InputSchema.GetRawText()),
        ["name"] = tool.Name,
    };
}

/// <summary>A caller's answer to an <c>mcp_approval_request</c>.</summary>
public sealed record McpApprovalAnswer(string ApprovalRequestId, bool Approve, string? Reason);
