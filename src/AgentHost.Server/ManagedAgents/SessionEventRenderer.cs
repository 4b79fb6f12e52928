using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Renders one turn's engine events as session events: <c>span.model_request_start/end</c> around each model call,
/// <c>agent.thinking</c>, <c>agent.message</c>, and per tool call its use (<c>agent.tool_use</c>, <c>agent.mcp_tool_use</c>,
/// or <c>agent.custom_tool_use</c> for a call the client runs) and result. A tool use's event id is what a
/// confirmation or a custom tool result names, so the renderer keeps which call each id stands for.
/// </summary>
internal sealed class SessionEventRenderer(SessionEventLog log, IReadOnlyDictionary<string, string> knownCalls, Func<string, string, string> policyFor)
{
    private readonly Dictionary<string, string> eventOfCall = new(knownCalls, StringComparer.Ordinal);
    private readonly Dictionary<string, (string Type, string Name)> started = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> messageEvents = new(StringComparer.Ordinal);
    private string? modelRequest;
    private bool thinking;
    private string? thinkingEvent;

    /// <summary>The decisions the turn is about to pause for, published just before the pause.</summary>
    public IReadOnlyList<PendingDecision> Pending { get; set; } = [];

    /// <summary>The event id of the tool use of engine call <paramref name="callId"/>, when it was rendered.</summary>
    public string? EventOf(string callId) => eventOfCall.GetValueOrDefault(callId);

    /// <summary>
    /// The previews (<c>event_start</c>, <c>event_delta</c>) of <paramref name="agentEvent"/> for streams that asked for
    /// them, with the type of the event each previews: the start of the model's thinking, and the start and each text
    /// fragment of a message. Called before <see cref="Render"/>, which gives the final event the previewed id.
    /// </summary>
    public List<(JsonObject Preview, string PreviewedType)> Preview(AgentEvent agentEvent)
    {
        switch (agentEvent)
        {
            case ReasoningDelta when !thinking && thinkingEvent is null:
                thinkingEvent = IdGenerator.New("sevt");
                return [(Start("agent.thinking", thinkingEvent), "agent.thinking")];
            case TextDelta { Text.Length: > 0 } delta:
                var previews = new List<(JsonObject, string)>(2);
                if (!messageEvents.TryGetValue(delta.MessageId, out var id))
                {
                    messageEvents[delta.MessageId] = id = IdGenerator.New("sevt");
                    previews.Add((Start("agent.message", id), "agent.message"));
                }

                previews.Add((new JsonObject
                {
                    ["type"] = "event_delta",
                    ["event_id"] = id,
                    ["delta"] = new JsonObject { ["type"] = "content_delta", ["content"] = new JsonObject { ["type"] = "text", ["text"] = delta.Text }, ["index"] = 0 },
                }, "agent.message"));
                return previews;
            default:
                return [];
        }
    }

    private static JsonObject Start(string type, string id) => new()
    {
        ["type"] = "event_start",
        ["event"] = new JsonObject { ["id"] = id, ["type"] = type },
    };

    public List<(JsonObject Event, string? Run, string? Call)> Render(AgentEvent agentEvent)
    {
        var run = agentEvent.RunId;
        switch (agentEvent)
        {
            case ModelCallStarted:
                var start = log.New("span.model_request_start");
                modelRequest = (string)start["id"]!;
                thinking = false;
                thinkingEvent = null;
                return [(start, run, null)];
            case ReasoningDelta when !thinking:
                thinking = true;
                var thought = log.New("agent.thinking");
                thought["id"] = thinkingEvent ?? thought["id"]!.GetValue<string>();
                thinkingEvent = null;
                return [(thought, run, null)];
            case ModelCallEnded ended when modelRequest is not null:
                var end = SpanEnd(false, ended.Usage);
                modelRequest = null;
                return [(end, run, null)];
            case MessageCompleted { Message: var message } when Text(message) is { Length: > 0 } text:
                var said = log.New("agent.message");
                if (messageEvents.Remove(message.Id, out var previewed))
                {
                    said["id"] = previewed;
                }

                said["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text });
                return [(said, run, null)];
            case ToolCallStarted call:
                started[call.CallId] = (call.ToolType, call.Name);
                return [];
            case ToolCallArgumentsDelta arguments when !eventOfCall.ContainsKey(arguments.CallId) && started.TryGetValue(arguments.CallId, out var called):
                return [(ToolUse(arguments.CallId, called.Type, called.Name, arguments.Delta), run, arguments.CallId)];
            case ToolCallCompleted completed:
                var use = eventOfCall.GetValueOrDefault(completed.CallId);
                var rendered = new List<(JsonObject, string?, string?)>();
                if (use is null)
                {
                    // A call approved before a restart, its use rendered by the process before this one.
                    var item = ToolUse(completed.CallId, completed.ToolType, completed.Name, completed.Arguments);
                    rendered.Add((item, run, completed.CallId));
                    use = (string)item["id"]!;
                }

                var mcp = completed.ToolType == SessionTools.McpType;
                var result = log.New(mcp ? "agent.mcp_tool_result" : "agent.tool_result");
                result[mcp ? "mcp_tool_use_id" : "tool_use_id"] = use;
                result["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = completed.Output });
                result["is_error"] = completed.IsError;
                rendered.Add((result, run, completed.CallId));
                return rendered;
            default:
                return [];
        }
    }

    /// <summary>The end of a model call cut short (the turn failed or was interrupted during it), if one is open.</summary>
    public JsonObject? CloseModelRequest()
    {
        if (modelRequest is null)
        {
            return null;
        }

        var end = SpanEnd(true, new Usage { PromptTokens = 0, CompletionTokens = 0 });
        modelRequest = null;
        return end;
    }

    private JsonObject SpanEnd(bool isError, Usage usage)
    {
        var end = log.New("span.model_request_end");
        end["model_request_start_id"] = modelRequest;
        end["is_error"] = isError;
        end["model_usage"] = new JsonObject
        {
            ["input_tokens"] = usage.PromptTokens - usage.PromptTokenDetails.CachedTokens,
            ["output_tokens"] = usage.CompletionTokens,
            ["cache_read_input_tokens"] = usage.PromptTokenDetails.CachedTokens,
            ["cache_creation_input_tokens"] = 0,
        };
        return end;
    }

    private JsonObject ToolUse(string callId, string toolType, string name, string arguments)
    {
        JsonObject use;
        if (toolType == ToolTypes.Function)
        {
            use = log.New("agent.custom_tool_use");
            use["name"] = name;
            use["input"] = Input(arguments);
        }
        else
        {
            var mcp = toolType == SessionTools.McpType;
            use = log.New(mcp ? "agent.mcp_tool_use" : "agent.tool_use");
            use["name"] = name;
            if (mcp)
            {
                // The engine offers an MCP tool as <server>__<tool>; the event names the server and the tool apart.
                var separator = name.IndexOf("__", StringComparison.Ordinal);
                use["mcp_server_name"] = separator > 0 ? name[..separator] : name;
                use["name"] = separator > 0 ? name[(separator + 2)..] : name;
            }

            use["input"] = Input(arguments);
            var policy = policyFor(toolType, name);
            use["evaluated_permission"] = policy == "always_ask" ? "ask" : "allow";
            use["evaluation"] = new JsonObject { ["type"] = policy };
        }

        eventOfCall[callId] = (string)use["id"]!;
        return use;
    }

    private static JsonNode Input(string arguments)
    {
        try
        {
            return JsonNode.Parse(arguments) is JsonObject input ? input : new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return new JsonObject();
        }
    }

    private static string Text(ThreadMessage message) =>
        string.Concat(message.Content.Where(c => c.Text is not null).Select(c => c.Text!.Value));
}
