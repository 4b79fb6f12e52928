using System.Text.Json.Nodes;

namespace AgentHost.Testing;

/// <summary>Anthropic Messages API responses, shaped as the real API sends them.</summary>
public static class AnthropicWire
{
    public const string DefaultId = "msg_01Test";
    public const string DefaultModel = "claude-sonnet-4-5-20250929";

    public static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    public static JsonObject ToolUse(string id, string name, JsonObject input) =>
        new() { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input };

    public static JsonObject Usage(int input, int output, int cacheCreation = 0, int cacheRead = 0) => new()
    {
        ["input_tokens"] = input,
        ["output_tokens"] = output,
        ["cache_creation_input_tokens"] = cacheCreation,
        ["cache_read_input_tokens"] = cacheRead,
    };

    public static ScriptedResponse Message(string stopReason, JsonObject usage, params JsonObject[] content) =>
        ScriptedResponses.Json(200, MessageObject(new JsonArray([.. content]), stopReason, usage));

    /// <summary>The error envelope, e.g. 529 <c>overloaded_error</c> or 429 <c>rate_limit_error</c>.</summary>
    public static ScriptedResponse Error(int status, string type, string message, params (string Name, string Value)[] headers) =>
        ScriptedResponses.Json(
            status,
            new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
                ["request_id"] = "req_test",
            },
            headers);

    /// <summary>The <c>event: error</c> a stream that already answered 200 sends when, say, the API overloads.</summary>
    public static SseEvent ErrorEvent(string type, string message) => Event("error", new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    });

    public static StreamBlock TextBlock(params string[] chunks) => new(
        new JsonObject { ["type"] = "text", ["text"] = "" },
        [.. chunks.Select(c => new JsonObject { ["type"] = "text_delta", ["text"] = c })]);

    public static StreamBlock ToolUseBlock(string id, string name, params string[] jsonChunks) => new(
        new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() },
        [.. jsonChunks.Select(c => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = c })]);

    public static ScriptedResponse Stream(string stopReason, JsonObject startUsage, int outputTokens, params StreamBlock[] blocks) =>
        ScriptedResponses.Sse(StreamEvents(stopReason, startUsage, outputTokens, blocks));

    /// <summary>
    /// message_start, then per block content_block_start, (a ping after the first), deltas and content_block_stop,
    /// then message_delta with the stop reason and cumulative output tokens, then message_stop.
    /// </summary>
    public static IReadOnlyList<SseEvent> StreamEvents(string stopReason, JsonObject startUsage, int outputTokens, params StreamBlock[] blocks) =>
        StreamEvents(MessageObject([], null, startUsage), stopReason, null, CumulativeUsage(startUsage, outputTokens), blocks);

    /// <summary>The same stream for a given <c>message_start</c> message, stop sequence and final usage.</summary>
    public static IReadOnlyList<SseEvent> StreamEvents(JsonObject start, string stopReason, string? stopSequence, JsonObject finalUsage, IReadOnlyList<StreamBlock> blocks)
    {
        var events = new List<SseEvent>
        {
            Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = start.DeepClone() }),
        };
        for (var index = 0; index < blocks.Count; index++)
        {
            events.Add(Event("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = blocks[index].Start.DeepClone(),
            }));
            if (index == 0)
            {
                events.Add(Event("ping", new JsonObject { ["type"] = "ping" }));
            }

            foreach (var delta in blocks[index].Deltas)
            {
                events.Add(Event("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = delta.DeepClone(),
                }));
            }

            events.Add(Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }));
        }

        events.Add(Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = stopSequence },
            ["usage"] = finalUsage.DeepClone(),
        }));
        events.Add(Event("message_stop", new JsonObject { ["type"] = "message_stop" }));
        return events;
    }

    public static JsonObject MessageObject(JsonArray content, string? stopReason, JsonObject usage, string model = DefaultModel, string id = DefaultId,
        string? stopSequence = null) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = stopSequence,
        ["usage"] = usage.DeepClone(),
    };

    public static SseEvent Event(string name, JsonObject data) => new(name, data.ToJsonString());

    // The API's message_delta usage is cumulative and repeats the input counts of message_start.
    private static JsonObject CumulativeUsage(JsonObject startUsage, int outputTokens)
    {
        var usage = startUsage.DeepClone().AsObject();
        usage["output_tokens"] = outputTokens;
        return usage;
    }
}
