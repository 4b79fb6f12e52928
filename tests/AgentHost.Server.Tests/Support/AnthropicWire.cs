using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// A <see cref="ScriptedTurn"/> in the Anthropic Messages API's wire format, as the real API sends it: a message object,
/// or the event stream (message_start, blocks with a ping after the first start, message_delta with cumulative usage,
/// message_stop), and the error envelope.
/// </summary>
internal static class AnthropicWire
{
    public const string MessageId = "msg_01Scripted";
    public const string Signature = "sig-scripted";

    public static JsonObject Message(ScriptedTurn turn, string model) => new()
    {
        ["id"] = MessageId,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray([.. Blocks(turn)]),
        ["stop_reason"] = StopReason(turn),
        ["stop_sequence"] = turn.StopSequence,
        ["usage"] = Usage(turn, turn.CompletionTokens),
    };

    public static async Task ErrorAsync(HttpContext context, int status, string type)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["request-id"] = "req_upstream";
        await context.Response.WriteAsJsonAsync(new { type = "error", error = new { type, message = $"scripted {type}" }, request_id = "req_upstream" });
    }

    public static async Task StreamAsync(HttpContext context, ScriptedTurn turn, string model)
    {
        context.Response.ContentType = "text/event-stream";
        async Task Send(string name, JsonObject data)
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }

        var start = Message(turn, model);
        start["content"] = new JsonArray();
        start["stop_reason"] = null;
        start["stop_sequence"] = null;
        start["usage"] = Usage(turn, 1);
        await Send("message_start", new JsonObject { ["type"] = "message_start", ["message"] = start });

        var index = 0;
        if (turn.Thinking is { } thinking)
        {
            await Send("content_block_start", BlockStart(index, new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" }));
            await Send("ping", new JsonObject { ["type"] = "ping" });
            await Send("content_block_delta", Delta(index, new JsonObject { ["type"] = "thinking_delta", ["thinking"] = thinking }));
            await Send("content_block_delta", Delta(index, new JsonObject { ["type"] = "signature_delta", ["signature"] = Signature }));
            await Send("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        if (turn.Text is { } text)
        {
            await Send("content_block_start", BlockStart(index, new JsonObject { ["type"] = "text", ["text"] = "" }));
            if (index == 0)
            {
                await Send("ping", new JsonObject { ["type"] = "ping" });
            }

            var words = text.Split(' ');
            for (var i = 0; i < words.Length; i++)
            {
                await Send("content_block_delta", Delta(index, new JsonObject { ["type"] = "text_delta", ["text"] = i == 0 ? words[i] : " " + words[i] }));
                if (turn.FailMidStream is { } errorType)
                {
                    await Send("error", new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = errorType, ["message"] = "Overloaded" } });
                    return;
                }
            }

            await Send("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            await Send("content_block_start", BlockStart(index, new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() }));
            var half = arguments.Length / 2;
            foreach (var part in new[] { arguments[..half], arguments[half..] })
            {
                await Send("content_block_delta", Delta(index, new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = part }));
            }

            await Send("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        await Send("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(turn), ["stop_sequence"] = turn.StopSequence },
            ["usage"] = Usage(turn, turn.CompletionTokens),
        });
        await Send("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static IEnumerable<JsonNode> Blocks(ScriptedTurn turn)
    {
        if (turn.Thinking is { } thinking)
        {
            yield return new JsonObject { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = Signature };
        }

        if (turn.Text is { } text)
        {
            yield return new JsonObject { ["type"] = "text", ["text"] = text };
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            yield return new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = JsonNode.Parse(arguments) };
        }
    }

    private static string StopReason(ScriptedTurn turn) => turn.StopSequence is not null ? "stop_sequence" : turn.FinishReason switch
    {
        "tool_calls" => "tool_use",
        "length" => "max_tokens",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    private static JsonObject Usage(ScriptedTurn turn, int outputTokens) => new()
    {
        ["input_tokens"] = turn.PromptTokens,
        ["cache_creation_input_tokens"] = turn.CacheCreationTokens,
        ["cache_read_input_tokens"] = turn.CachedTokens,
        ["output_tokens"] = outputTokens,
    };

    private static JsonObject BlockStart(int index, JsonObject block) =>
        new() { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = block };

    private static JsonObject Delta(int index, JsonObject delta) =>
        new() { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta };
}
