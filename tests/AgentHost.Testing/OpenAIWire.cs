using System.Text.Json.Nodes;

namespace AgentHost.Testing;

/// <summary>OpenAI Chat Completions responses, shaped as the real API sends them.</summary>
public static class OpenAIWire
{
    public const string DefaultModel = "gpt-4o-2024-08-06";
    private const string Id = "chatcmpl-test";
    private const long Created = 1_750_000_000;

    public static JsonObject AssistantText(string text) =>
        new() { ["role"] = "assistant", ["content"] = text, ["refusal"] = null };

    public static JsonObject AssistantToolCalls(params (string Id, string Name, string Arguments)[] calls) => new()
    {
        ["role"] = "assistant",
        ["content"] = null,
        ["refusal"] = null,
        ["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
        })]),
    };

    public static JsonObject Usage(int prompt, int completion, int cached = 0, int reasoning = 0) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reasoning, ["audio_tokens"] = 0 },
    };

    public static ScriptedResponse Completion(JsonObject message, string finishReason, JsonObject usage, string model = DefaultModel) =>
        ScriptedResponses.Json(200, new JsonObject
        {
            ["id"] = Id,
            ["object"] = "chat.completion",
            ["created"] = Created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = usage,
            ["system_fingerprint"] = "fp_test",
        });

    /// <summary>The error envelope, e.g. 429 with <c>retry-after</c> or 500.</summary>
    public static ScriptedResponse Error(int status, string type, string message, string? code = null, params (string Name, string Value)[] headers) =>
        ScriptedResponses.Json(
            status,
            new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
            },
            headers);

    public static JsonObject Chunk(JsonObject delta, string? finishReason = null, string model = DefaultModel) => ChunkObject(new JsonArray(new JsonObject
    {
        ["index"] = 0,
        ["delta"] = delta,
        ["logprobs"] = null,
        ["finish_reason"] = finishReason,
    }), model);

    public static JsonObject TextDelta(string text) => new() { ["content"] = text };

    public static JsonObject RoleDelta() => new() { ["role"] = "assistant", ["content"] = "", ["refusal"] = null };

    /// <summary>A tool call fragment: the first for an index carries id and name, later ones only argument text.</summary>
    public static JsonObject ToolCallDelta(int index, string? id, string? name, string arguments)
    {
        var call = new JsonObject { ["index"] = index };
        if (id is not null)
        {
            call["id"] = id;
            call["type"] = "function";
        }

        var function = new JsonObject { ["arguments"] = arguments };
        if (name is not null)
        {
            function["name"] = name;
        }

        call["function"] = function;
        return new JsonObject { ["tool_calls"] = new JsonArray(call) };
    }

    /// <summary>The last chunk when <c>stream_options.include_usage</c> is set: no choices, only usage.</summary>
    public static JsonObject UsageChunk(JsonObject usage, string model = DefaultModel)
    {
        var chunk = ChunkObject([], model);
        chunk["usage"] = usage;
        return chunk;
    }

    public static ScriptedResponse Stream(params JsonObject[] chunks) => ScriptedResponses.Sse(StreamEvents(chunks));

    public static IReadOnlyList<SseEvent> StreamEvents(params JsonObject[] chunks) =>
        [.. chunks.Select(c => new SseEvent(null, c.ToJsonString())), new SseEvent(null, "[DONE]")];

    private static JsonObject ChunkObject(JsonArray choices, string model) => new()
    {
        ["id"] = Id,
        ["object"] = "chat.completion.chunk",
        ["created"] = Created,
        ["model"] = model,
        ["system_fingerprint"] = "fp_test",
        ["choices"] = choices,
    };
}
