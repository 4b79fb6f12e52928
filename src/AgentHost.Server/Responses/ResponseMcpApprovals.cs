using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools;
using AgentHost.Tools.Mcp;

namespace AgentHost.Server.Responses;

/// <summary>
/// Answers approvals: each <c>mcp_approval_response</c> of a new response's input becomes the <c>mcp</c> tool source's
/// <c>Decide</c> on the call its <c>mcp_approval_request</c> (in the chain, the conversation or the same input) asked
/// about. The decided calls form an open tool_calls step the run starts with, so the engine runs the approved calls
/// before its first model call (as after <c>submit_tool_outputs</c>) and the model reads the denied ones' reason.
/// </summary>
internal static class ResponseMcpApprovals
{
    /// <summary>The step of decided calls, or null when the input answers no approval; a 400 for an answer that cannot be applied.</summary>
    public static async Task<RunStep?> DecideAsync(string responseId, ResponseCreation creation, ResponseRecords records, long now, CancellationToken cancellationToken)
    {
        var answers = creation.Input.Where(i => (string?)i["type"] == "mcp_approval_response").ToList();
        if (answers.Count == 0)
        {
            return null;
        }

        var source = records.Sources.For(ResponseMcpTool.Type)
            ?? throw ApiException.Invalid("This server has no MCP support, so 'mcp_approval_response' items cannot be answered.", "input");
        var earlier = await records.ItemsBeforeAsync(creation.PreviousResponseId, creation.ConversationId, cancellationToken);
        var requests = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var request in earlier.Concat(creation.Input).Where(i => (string?)i["type"] == "mcp_approval_request"))
        {
            requests[(string)request["id"]!] = request;
        }

        // A request is answered once: by a call that followed it, or an earlier answer.
        var answered = earlier
            .Where(i => (string?)i["type"] is "mcp_call" or "mcp_approval_response")
            .Select(i => (string?)i["approval_request_id"])
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var calls = new List<StepToolCall>();
        foreach (var answer in answers)
        {
            var requestId = (string)answer["approval_request_id"]!;
            if (!requests.TryGetValue(requestId, out var request))
            {
                throw ApiException.Invalid($"No mcp_approval_request found with id '{requestId}' in the previous response, the conversation or the input.", "input");
            }

            if (!answered.Add(requestId))
            {
                throw ApiException.Invalid($"The mcp_approval_request '{requestId}' was already answered.", "input");
            }

            var label = (string)request["server_label"]!;
            var name = (string)request["name"]!;
            var definition = creation.Tools.FirstOrDefault(t => t.Type == ResponseMcpTool.Type && McpToolbox.LabelOf(t) == label)
                ?? throw ApiException.Invalid(
                    $"The mcp_approval_response for '{requestId}' answers a call to the MCP server '{label}', which is not among this request's tools; give its mcp tool in 'tools' again.",
                    "tools");
            if (!McpToolbox.Allows(definition, name))
            {
                throw ApiException.Invalid($"The mcp_approval_response for '{requestId}' answers a call to '{name}', which the allowed_tools of the MCP server '{label}' leave out.", "tools");
            }

            var pending = McpResponseItems.PendingCall(IdGenerator.ToolCall(), requestId, label, name, (string?)request["arguments"] ?? "{}");
            calls.Add(source.Decide(pending, new ToolDecision((bool)answer["approve"]!, (string?)answer["reason"])));
        }

        return new RunStep
        {
            Id = IdGenerator.Step(),
            CreatedAt = now,
            RunId = responseId,
            AssistantId = string.Empty,
            ThreadId = responseId,
            Type = StepTypes.ToolCalls,
            Status = StepStatus.InProgress,
            StepDetails = new StepDetails { Type = StepTypes.ToolCalls, ToolCalls = calls },
        };
    }
}
