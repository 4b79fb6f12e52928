using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Tools.Mcp;

namespace AgentHost.Server.Responses;

/// <summary>
/// The MCP part of a response's stream, in the order of the recorded <c>MCPToolStreamingWorks</c>: a listing as
/// <c>output_item.added</c>, <c>response.mcp_list_tools.in_progress</c>, <c>.completed</c> (or <c>.failed</c>),
/// <c>output_item.done</c>; a call as <c>output_item.added</c>, <c>response.mcp_call.in_progress</c>,
/// <c>response.mcp_call_arguments.delta</c> / <c>.done</c> as AgentHost calls the server, then
/// <c>response.mcp_call.completed</c> (or <c>.failed</c>) and <c>output_item.done</c>. A call that waits for approval,
/// or was decided without running (denied), is rendered whole when its step completes.
/// </summary>
internal sealed partial class ResponseStreamRenderer
{
    /// <summary>The output index of each MCP call, fixed when the model makes it (or when an approved call starts).</summary>
    private readonly Dictionary<string, int> mcpIndexes = new(StringComparer.Ordinal);

    /// <summary>The arguments of MCP calls the model made, until the call starts.</summary>
    private readonly Dictionary<string, string> mcpArguments = new(StringComparer.Ordinal);

    private readonly HashSet<string> mcpStarted = new(StringComparer.Ordinal);
    private readonly HashSet<string> mcpDone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> listIndexes = new(StringComparer.Ordinal);

    /// <summary>The events of an MCP event; null when the event is not MCP's, for the general rendering.</summary>
    private async Task<IReadOnlyList<JsonObject>?> RenderMcpAsync(AgentEvent agentEvent)
    {
        switch (agentEvent)
        {
            case McpToolsListed listed:
                return Listed(listed);
            case ToolCallStarted { ToolType: ResponseMcpTool.Type } started:
                mcpIndexes[started.CallId] = Add(McpResponseItems.CallId(started.CallId));
                return [];
            case ToolCallArgumentsDelta { ToolType: ResponseMcpTool.Type } delta:
                mcpArguments[delta.CallId] = mcpArguments.GetValueOrDefault(delta.CallId, string.Empty) + delta.Delta;
                return [];
            case ToolCallProgress { ToolType: ResponseMcpTool.Type, Detail: { } detail } progress when !mcpStarted.Contains(progress.CallId):
                // The first progress of a call names its server and tool, as AgentHost calls the server.
                var label = detail.TryGetProperty("server_label", out var l) ? l.GetString() : null;
                var name = detail.TryGetProperty("name", out var n) ? n.GetString() : null;
                var known = mcpArguments.ContainsKey(progress.CallId) ? null : await recordedCall(progress);
                return McpCallStarted(progress.CallId, label, name, known);
            case ToolCallProgress { ToolType: ResponseMcpTool.Type }:
                return [];
            case ToolCallCompleted { ToolType: ResponseMcpTool.Type } completed:
                return McpCallEnded(completed.CallId, completed.Record is { } record ? McpResponseItems.FromStep(record) : await recordedCall(completed));
            case StepCompleted { Step.StepDetails.ToolCalls: { } calls }:
                var events = new List<JsonObject>();
                foreach (var call in calls.Where(c => c.Type == ResponseMcpTool.Type && !mcpDone.Contains(c.Id)))
                {
                    events.AddRange(McpResponseItems.FromStep(call)?["type"]?.GetValue<string>() == "mcp_approval_request"
                        ? ApprovalRequested(call)
                        : McpCallEnded(call.Id, McpResponseItems.FromStep(call)));
                }

                return events.Count == 0 ? null : events;
            default:
                return null;
        }
    }

    private IReadOnlyList<JsonObject> Listed(McpToolsListed listed)
    {
        var itemId = (string)listed.Item["id"]!;
        if (!listIndexes.TryGetValue(itemId, out var index))
        {
            index = listIndexes[itemId] = Add(itemId);
            if (!listed.Done)
            {
                return
                [
                    Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = listed.Item.DeepClone() }),
                    Event("response.mcp_list_tools.in_progress", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
                ];
            }
        }

        return
        [
            Event(listed.Failed ? "response.mcp_list_tools.failed" : "response.mcp_list_tools.completed", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
            Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = listed.Item.DeepClone() }),
        ];
    }

    /// <summary>
    /// AgentHost calls the server: the call's item, then its arguments whole. <paramref name="recorded"/> is the call's
    /// item when the run started with it (an approved call), which says what it answers.
    /// </summary>
    private IReadOnlyList<JsonObject> McpCallStarted(string callId, string? label, string? name, JsonObject? recorded)
    {
        mcpStarted.Add(callId);
        var index = McpIndex(callId);
        var itemId = itemIds[index];
        var arguments = mcpArguments.GetValueOrDefault(callId) ?? (string?)recorded?["arguments"] ?? "{}";
        var item = new JsonObject
        {
            ["id"] = itemId,
            ["type"] = "mcp_call",
            ["approval_request_id"] = recorded?["approval_request_id"]?.DeepClone(),
            ["arguments"] = string.Empty,
            ["error"] = null,
            ["name"] = name ?? (string?)recorded?["name"],
            ["output"] = null,
            ["server_label"] = label ?? (string?)recorded?["server_label"],
        };
        return
        [
            Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = item }),
            Event("response.mcp_call.in_progress", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
            Event("response.mcp_call_arguments.delta", new JsonObject { ["output_index"] = index, ["item_id"] = itemId, ["delta"] = arguments }),
            Event("response.mcp_call_arguments.done", new JsonObject { ["output_index"] = index, ["item_id"] = itemId, ["arguments"] = arguments }),
        ];
    }

    /// <summary>The call ended (ran, failed, or was denied): its last events, and its start first if it was never sent.</summary>
    private IReadOnlyList<JsonObject> McpCallEnded(string callId, JsonObject? item)
    {
        var events = new List<JsonObject>();
        if (!mcpStarted.Contains(callId))
        {
            events.AddRange(McpCallStarted(callId, null, null, item));
        }

        mcpDone.Add(callId);
        var index = McpIndex(callId);
        var itemId = itemIds[index];
        item ??= new JsonObject
        {
            ["id"] = itemId, ["type"] = "mcp_call",
            ["error"] = new JsonObject { ["type"] = "http_error", ["code"] = 500, ["message"] = "The call's record is missing." },
        };
        var failed = item["error"] is not null;
        events.Add(Event(failed ? "response.mcp_call.failed" : "response.mcp_call.completed", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }));
        events.Add(Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item }));
        return events;
    }

    /// <summary>A call that waits for the caller's <c>mcp_approval_response</c>: its <c>mcp_approval_request</c> item, whole.</summary>
    private IReadOnlyList<JsonObject> ApprovalRequested(StepToolCall call)
    {
        mcpDone.Add(call.Id);
        var item = McpResponseItems.FromStep(call)!;
        var index = McpIndex(call.Id);
        itemIds[index] = (string)item["id"]!;
        return
        [
            Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = item.DeepClone() }),
            Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item }),
        ];
    }

    /// <summary>The call's output index: fixed when the model made it, or now for a call the run starts with (an approved one).</summary>
    private int McpIndex(string callId)
    {
        if (!mcpIndexes.TryGetValue(callId, out var index))
        {
            index = mcpIndexes[callId] = Add(McpResponseItems.CallId(callId));
        }

        return index;
    }
}
