using System.Text.Json.Nodes;
using AgentHost.Testing;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// A <see cref="ScriptedTurn"/> in the Anthropic Messages API's wire format (see <see cref="AnthropicWire"/>): a message
/// object, the event stream with text in word deltas and tool input in two halves, or the error envelope.
/// </summary>
internal static class AnthropicTurns
{
    public const string MessageId = "msg_01Scripted";
    public const string Signature = "sig-scripted";

    public static ScriptedResponse Response(ScriptedTurn turn, string model, bool stream)
    {
        if (turn.Status != 200)
        {
            return AnthropicWire.Error(turn.Status, turn.ErrorType, $"scripted {turn.ErrorType}", ("request-id", "req_test"));
        }

        if (!stream)
        {
            return ScriptedResponses.Json(200, Message(turn, model, [.. Blocks(turn)], StopReason(turn), Usage(turn, turn.CompletionTokens)));
        }

        var events = AnthropicWire.StreamEvents(Message(turn, model, [], null, Usage(turn, 1)), StopReason(turn), turn.StopSequence,
            Usage(turn, turn.CompletionTokens), [.. StreamBlocks(turn)]);
        if (turn is { FailMidStream: { } errorType, Text: not null })
        {
            // The API overloads after the first text delta: the stream ends with an error event.
            var firstText = events.ToList().FindIndex(e => e.Data.Contains("\"text_delta\"", StringComparison.Ordinal));
            events = [.. events.Take(firstText + 1), AnthropicWire.ErrorEvent(errorType, "Overloaded")];
        }

        if (turn.StallMidStream)
        {
            var firstContent = events.ToList().FindIndex(e => e.Data.Contains("_delta\"", StringComparison.Ordinal));
            return ScriptedResponses.Sse(events, breakAfter: firstContent + 1, stall: true);
        }

        return ScriptedResponses.Sse(events);
    }

    private static JsonObject Message(ScriptedTurn turn, string model, JsonArray content, string? stopReason, JsonObject usage) =>
        AnthropicWire.MessageObject(content, stopReason, usage, model, MessageId, stopReason is null ? null : turn.StopSequence);

    private static IEnumerable<JsonNode> Blocks(ScriptedTurn turn)
    {
        if (turn.RedactedThinking is { } redacted)
        {
            yield return new JsonObject { ["type"] = "redacted_thinking", ["data"] = redacted };
        }

        if (turn.Thinking is { } thinking)
        {
            yield return new JsonObject { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = Signature };
        }

        if (turn.Text is { } text)
        {
            yield return AnthropicWire.Text(text);
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            yield return AnthropicWire.ToolUse(id, name, JsonNode.Parse(arguments)!.AsObject());
        }
    }

    private static IEnumerable<StreamBlock> StreamBlocks(ScriptedTurn turn)
    {
        if (turn.RedactedThinking is { } redacted)
        {
            // Sent whole in its start event, with no deltas.
            yield return new StreamBlock(new JsonObject { ["type"] = "redacted_thinking", ["data"] = redacted }, []);
        }

        if (turn.Thinking is { } thinking)
        {
            yield return new StreamBlock(new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
                [new JsonObject { ["type"] = "thinking_delta", ["thinking"] = thinking }, new JsonObject { ["type"] = "signature_delta", ["signature"] = Signature }]);
        }

        if (turn.Text is { } text)
        {
            var words = text.Split(' ');
            yield return AnthropicWire.TextBlock([.. words.Select((word, i) => i == 0 ? word : " " + word)]);
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            var half = arguments.Length / 2;
            yield return AnthropicWire.ToolUseBlock(id, name, arguments[..half], arguments[half..]);
        }
    }

    private static string StopReason(ScriptedTurn turn) => turn.StopSequence is not null ? "stop_sequence" : turn.FinishReason switch
    {
        "tool_calls" => "tool_use",
        "length" => "max_tokens",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    private static JsonObject Usage(ScriptedTurn turn, int outputTokens) =>
        AnthropicWire.Usage(turn.PromptTokens, outputTokens, turn.CacheCreationTokens, turn.CachedTokens);
}
