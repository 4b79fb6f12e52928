using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;

namespace AgentHost.Server.Responses;

/// <summary>
/// Renders one response's engine events as the Responses API's stream: <c>response.*</c> events in the original's
/// order, numbered by <c>sequence_number</c> from 0. Items are numbered by <c>output_index</c> as they start.
/// </summary>
internal sealed partial class ResponseStreamRenderer(string responseId, JsonObject settings, ResponseView view, Func<ToolCallEvent, Task<JsonObject?>> recordedCall,
    ReasoningSeal seal)
{
    private readonly List<string> itemIds = [];
    private readonly Dictionary<string, (string ItemId, string Name)> calls = new(StringComparer.Ordinal);
    private long sequence;

    /// <summary>The sequence number the next event gets; a resumed renderer starts after what was already sent.</summary>
    public long NextSequence { get => sequence; init => sequence = value; }

    /// <summary>Continues a stream whose output already holds <paramref name="items"/> (a run resumed after a restart).</summary>
    public void Continue(IEnumerable<string> items) => itemIds.AddRange(items);

    /// <summary><c>response.created</c>, with the response as it was created (queued in the background, else in progress).</summary>
    public JsonObject Created(ThreadRun run, bool background)
    {
        var response = Snapshot(run);
        response["status"] = background ? "queued" : "in_progress";
        return Event("response.created", new JsonObject { ["response"] = response });
    }

    /// <summary><c>response.queued</c>: a background response waits for the worker.</summary>
    public JsonObject Queued(ThreadRun run) => Event("response.queued", new JsonObject { ["response"] = Snapshot(run) });

    /// <summary><c>response.completed</c> / <c>failed</c> / <c>incomplete</c> / <c>cancelled</c> with the final response.</summary>
    public JsonObject Ended(JsonObject response) => Event($"response.{(string?)response["status"]}", new JsonObject { ["response"] = response });

    public async Task<IReadOnlyList<JsonObject>> RenderAsync(AgentEvent agentEvent)
    {
        if (await RenderMcpAsync(agentEvent) is { } mcp)
        {
            return mcp;
        }

        switch (agentEvent)
        {
            case RunStatusChanged { Run.Status: RunStatus.InProgress } changed:
                return [Event("response.in_progress", new JsonObject { ["response"] = Snapshot(changed.Run) })];
            case MessageStarted started:
                var index = Add(started.Message.Id);
                var added = ResponseOutput.Message(started.Message);
                added["content"] = new JsonArray();
                return
                [
                    Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = added }),
                    Event("response.content_part.added", Part(started.Message.Id, index, ResponseInputReader.OutputText(string.Empty), "part")),
                ];
            case TextDelta delta when IndexOf(delta.MessageId) is int at:
                // The hottest event, built in wire order at once (what Event and Part would give, without the reordering copy).
                return
                [
                    new JsonObject
                    {
                        ["type"] = "response.output_text.delta", ["sequence_number"] = sequence++, ["item_id"] = delta.MessageId, ["output_index"] = at,
                        ["content_index"] = 0, ["delta"] = delta.Text, ["logprobs"] = new JsonArray(),
                    },
                ];
            case MessageCompleted completed when IndexOf(completed.Message.Id) is int at:
                return MessageDone(completed.Message, at);
            case ReasoningDelta { ItemId: { } reasoningId } thinking:
                return ReasoningDeltaEvents(thinking, reasoningId);
            case ReasoningCompleted reasoning:
                return ReasoningDone(reasoning);
            case ToolCallStarted started:
                return Started(started);
            case ToolCallArgumentsDelta delta when delta.ToolType == ToolTypes.CodeInterpreter && IndexOf(CallItemId(delta)) is int at:
                return CodeInterpreterCode(delta, at);
            case ToolCallArgumentsDelta delta when delta.ToolType == ToolTypes.Function && IndexOf(CallItemId(delta)) is int at:
                return ClientCallArguments(delta, at);
            case ToolCallCompleted completed when completed.ToolType != ToolTypes.Function && IndexOf(CallItemId(completed)) is int at:
                return await EngineCallDoneAsync(completed, at);
            case ErrorOccurred error:
                return [Event("error", new JsonObject { ["code"] = error.Code, ["message"] = error.Message, ["param"] = null })];
            default:
                return [];
        }
    }

    private IReadOnlyList<JsonObject> MessageDone(ThreadMessage message, int index)
    {
        var item = ResponseOutput.Message(message);
        var part = (JsonObject)item["content"]![0]!;
        var events = new List<JsonObject>();
        var annotations = (JsonArray)part["annotations"]!;
        for (var i = 0; i < annotations.Count; i++)
        {
            events.Add(Event("response.output_text.annotation.added", Part(message.Id, index, null, null, ("annotation_index", i), ("annotation", annotations[i]!.DeepClone()))));
        }

        events.Add(Event("response.output_text.done", Part(message.Id, index, null, null, ("text", (string?)part["text"]), ("logprobs", new JsonArray()))));
        events.Add(Event("response.content_part.done", Part(message.Id, index, part.DeepClone().AsObject(), "part")));
        events.Add(Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item }));
        return events;
    }

    private IReadOnlyList<JsonObject> Started(ToolCallStarted started)
    {
        var itemId = CallItemId(started);
        var index = Add(itemId);
        if (started.ToolType == ToolTypes.Function)
        {
            var item = view.CustomTools.Contains(started.Name)
                ? ResponseOutput.CustomCall(started.CallId, started.Name, """{"input":""}""", "in_progress")
                : ResponseOutput.FunctionCall(started.CallId, started.Name, string.Empty, "in_progress");
            return [Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = item })];
        }

        if (started.ToolType == ToolTypes.FileSearch)
        {
            return
            [
                Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = ResponseOutput.FileSearch(started.CallId, "in_progress", [], null, false) }),
                Event("response.file_search_call.in_progress", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
                Event("response.file_search_call.searching", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
            ];
        }

        if (started.ToolType == ToolTypes.CodeInterpreter)
        {
            var item = ResponseCodeInterpreter.Item(started.CallId, "in_progress", string.Empty, (string?)settings[ResponseCodeInterpreter.ResolvedContainerKey]);
            return
            [
                Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = item }),
                Event("response.code_interpreter_call.in_progress", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
            ];
        }

        var other = new JsonObject { ["id"] = itemId, ["type"] = $"{started.ToolType}_call", ["status"] = "in_progress" };
        return [Event("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = other })];
    }

    /// <summary>A call the client runs: its arguments arrive whole, so the call is done at once.</summary>
    private IReadOnlyList<JsonObject> ClientCallArguments(ToolCallArgumentsDelta delta, int index)
    {
        var (itemId, name) = calls[delta.CallId];
        if (view.CustomTools.Contains(name))
        {
            var input = ResponseOutput.CustomInput(delta.Delta);
            return
            [
                Event("response.custom_tool_call_input.delta", new JsonObject { ["output_index"] = index, ["item_id"] = itemId, ["delta"] = input }),
                Event("response.custom_tool_call_input.done", new JsonObject { ["output_index"] = index, ["item_id"] = itemId, ["input"] = input }),
                Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = ResponseOutput.CustomCall(delta.CallId, name, delta.Delta, "completed") }),
            ];
        }

        return
        [
            Event("response.function_call_arguments.delta", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["delta"] = delta.Delta }),
            Event("response.function_call_arguments.done", new JsonObject { ["item_id"] = itemId, ["output_index"] = index, ["arguments"] = delta.Delta, ["name"] = name }),
            Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = ResponseOutput.FunctionCall(delta.CallId, name, delta.Delta, "completed") }),
        ];
    }

    /// <summary>The code of a code interpreter call arrives whole before it runs: its code events, then <c>interpreting</c>.</summary>
    private IReadOnlyList<JsonObject> CodeInterpreterCode(ToolCallArgumentsDelta delta, int index)
    {
        var itemId = itemIds[index];
        var code = Core.Tools.CodeInterpreter.CodeInterpreterTool.CodeOf(delta.Delta);
        return
        [
            Event("response.code_interpreter_call_code.delta", new JsonObject { ["output_index"] = index, ["item_id"] = itemId, ["delta"] = code }),
            Event("response.code_interpreter_call_code.done", new JsonObject { ["output_index"] = index, ["item_id"] = itemId, ["code"] = code }),
            Event("response.code_interpreter_call.interpreting", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }),
        ];
    }

    private async Task<IReadOnlyList<JsonObject>> EngineCallDoneAsync(ToolCallCompleted completed, int index)
    {
        var itemId = itemIds[index];
        // The step records its calls once all of them ran; until then the item is built from the event.
        var item = await recordedCall(completed) ?? (completed.ToolType == ToolTypes.CodeInterpreter
            ? ResponseCodeInterpreter.Item(completed.CallId, "completed", Core.Tools.CodeInterpreter.CodeInterpreterTool.CodeOf(completed.Arguments),
                (string?)settings[ResponseCodeInterpreter.ResolvedContainerKey])
            : new JsonObject { ["id"] = itemId, ["type"] = $"{completed.ToolType}_call", ["status"] = "completed" });
        item["status"] = "completed";
        var events = new List<JsonObject>();
        if (completed.ToolType == ToolTypes.FileSearch)
        {
            events.Add(Event("response.file_search_call.completed", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }));
        }
        else if (completed.ToolType == ToolTypes.CodeInterpreter)
        {
            events.Add(Event("response.code_interpreter_call.completed", new JsonObject { ["output_index"] = index, ["item_id"] = itemId }));
        }

        events.Add(Event("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item }));
        return events;
    }

    /// <summary>The output item id of a call, fixed when it starts (the prefix says its kind, as the record's items do).</summary>
    private string CallItemId(ToolCallEvent call)
    {
        if (calls.TryGetValue(call.CallId, out var known))
        {
            return known.ItemId;
        }

        var name = (call as ToolCallStarted)?.Name ?? string.Empty;
        var prefix = call.ToolType switch
        {
            ToolTypes.Function => view.CustomTools.Contains(name) ? "ctc" : "fc",
            ToolTypes.FileSearch => "fs",
            ToolTypes.CodeInterpreter => "ci",
            _ => call.ToolType,
        };
        var id = ResponseIds.OfCall(prefix, call.CallId);
        calls[call.CallId] = (id, name);
        return id;
    }

    private JsonObject Snapshot(ThreadRun run) => ResponseObject.Build(responseId, settings, run, []);

    private int Add(string itemId)
    {
        itemIds.Add(itemId);
        return itemIds.Count - 1;
    }

    private int? IndexOf(string itemId)
    {
        var index = itemIds.IndexOf(itemId);
        return index < 0 ? null : index;
    }

    private static JsonObject Part(string itemId, int outputIndex, JsonObject? part, string? partName, params (string Name, JsonNode? Value)[] more)
    {
        var data = new JsonObject { ["item_id"] = itemId, ["output_index"] = outputIndex, ["content_index"] = 0 };
        if (part is not null)
        {
            data[partName!] = part;
        }

        foreach (var (name, value) in more)
        {
            data[name] = value;
        }

        return data;
    }

    private JsonObject Event(string type, JsonObject data)
    {
        var ordered = new JsonObject { ["type"] = type, ["sequence_number"] = sequence++ };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            ordered[key] = value;
        }

        return ordered;
    }
}
