using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;

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
        string? deniedReason = null)
    {
        var recorded = result is not null ? McpCallRecord.From(result.Record) : null;
        var record = new McpCallRecord
        {
            ServerLabel = serverLabel,
            Name = name,
            Arguments = arguments,
            ApprovalRequestId = approvalRequestId,
            Approval = deniedReason is not null ? "denied" : null,
            Output = deniedReason is null && result is { Error: null } ? result.Output : null,
            Error = deniedReason is not null ? "The user denied this call: " + deniedReason : result?.Error,
            ErrorCode = recorded?.ErrorCode,
            IsError = deniedReason is null && result is { Error: null, IsError: true },
        };
        return Call(id, record);
    }

    /// <summary>
    /// The Responses item of an <c>mcp</c> step call: <c>mcp_approval_request</c> (<c>mcpr_&lt;call id&gt;</c>) while it
    /// waits for the caller's decision, else <c>mcp_call</c> (<c>mcp_&lt;call id&gt;</c>). Null when it is not an MCP call.
    /// </summary>
    public static JsonObject? FromStep(StepToolCall call)
    {
        if (call.Type != McpToolSource.Type || McpCallRecord.From(call.Details) is not { } record)
        {
            return null;
        }

        return record.Approval == "pending"
            ? ApprovalRequest(ApprovalRequestId(call.Id), record.ServerLabel, record.Name, record.Arguments)
            : Call(CallId(call.Id), record);
    }

    /// <summary>The server's name for the tool and the arguments of an <c>mcp</c> step call; null when it is not one.</summary>
    public static (string ServerLabel, string Name, string Arguments)? Describe(StepToolCall call) =>
        call.Type == McpToolSource.Type && McpCallRecord.From(call.Details) is { } record ? (record.ServerLabel, record.Name, record.Arguments) : null;

    /// <summary>
    /// An <c>mcp</c> step call waiting for a decision, made from an <c>mcp_approval_request</c> item
    /// (<paramref name="approvalRequestId"/>): the tool source's <c>Decide</c> then records the caller's answer on it.
    /// </summary>
    public static StepToolCall PendingCall(string callId, string approvalRequestId, string serverLabel, string name, string arguments) =>
        McpToolSource.Step(callId, new McpCallRecord
        {
            ServerLabel = serverLabel,
            Name = name,
            Arguments = string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments,
            Approval = "pending",
            ApprovalRequestId = approvalRequestId,
        });

    /// <summary>The <c>mcp_call</c> item id of step call <paramref name="callId"/>.</summary>
    public static string CallId(string callId) => "mcp_" + callId;

    /// <summary>The <c>mcp_approval_request</c> item id of step call <paramref name="callId"/>.</summary>
    public static string ApprovalRequestId(string callId) => "mcpr_" + callId;

    private static JsonObject Call(string id, McpCallRecord record) => new()
    {
        ["id"] = id,
        ["type"] = "mcp_call",
        ["approval_request_id"] = record.ApprovalRequestId,
        ["arguments"] = record.Arguments,
        ["error"] = Error(record),
        ["name"] = record.Name,
        ["output"] = record.Error is null && !record.IsError ? record.Output : null,
        ["server_label"] = record.ServerLabel,
    };

    /// <summary>
    /// The spec's <c>MCPToolCallError</c>: <c>mcp_tool_execution_error</c> when the tool answered <c>isError</c> (its
    /// content), <c>mcp_protocol_error</c> when the server refused the call (its JSON-RPC code), <c>http_error</c> 403 for
    /// a call the caller denied and 424 (as the original reports a failed server) for a server that could not be reached,
    /// failed or timed out.
    /// </summary>
    private static JsonObject? Error(McpCallRecord record)
    {
        if (record.Error is null)
        {
            return record.IsError
                ? new JsonObject { ["type"] = "mcp_tool_execution_error", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = record.Output ?? string.Empty }) }
                : null;
        }

        if (record.ErrorCode is int code)
        {
            return new JsonObject { ["type"] = "mcp_protocol_error", ["code"] = code, ["message"] = record.Error };
        }

        return new JsonObject { ["type"] = "http_error", ["code"] = record.Approval == "denied" ? 403 : 424, ["message"] = record.Error };
    }

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
