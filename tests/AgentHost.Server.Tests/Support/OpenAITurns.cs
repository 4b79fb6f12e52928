using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// A <see cref="ScriptedTurn"/> in OpenAI's Chat Completions wire format (see <see cref="OpenAIWire"/>): a completion,
/// the chunk stream with text in word deltas and each tool call in two fragments, or the error envelope.
/// </summary>
internal static class OpenAITurns
{
    public static ScriptedResponse Response(ScriptedTurn turn, string model, bool stream)
    {
        if (turn.Status != 200)
        {
            return OpenAIWire.Error(turn.Status, "server_error", "scripted failure");
        }

        if (!stream)
        {
            var message = turn.ToolCalls.Count > 0 ? OpenAIWire.AssistantToolCalls([.. turn.ToolCalls]) : OpenAIWire.AssistantText(turn.Text!);
            message["content"] = turn.Text;
            return OpenAIWire.Completion(message, turn.FinishReason, Usage(turn), model);
        }

        var chunks = new List<JsonObject> { OpenAIWire.Chunk(OpenAIWire.RoleDelta(), model: model) };
        if (turn.Text is { } text)
        {
            var words = text.Split(' ');
            if (turn.FailMidStream is not null)
            {
                return BrokenStream(chunks[0], OpenAIWire.Chunk(OpenAIWire.TextDelta(words[0]), model: model));
            }

            chunks.AddRange(words.Select((word, i) => OpenAIWire.Chunk(OpenAIWire.TextDelta(i == 0 ? word : " " + word), model: model)));
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var (id, name, arguments) = turn.ToolCalls[i];
            chunks.Add(OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(i, id, name, ""), model: model));
            chunks.Add(OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(i, null, null, arguments), model: model));
        }

        chunks.Add(OpenAIWire.Chunk(new JsonObject(), turn.FinishReason, model));
        chunks.Add(OpenAIWire.UsageChunk(Usage(turn), model));
        return turn.StallMidStream
            ? ScriptedResponses.Sse([.. chunks.Select(c => new SseEvent(null, c.ToJsonString()))], breakAfter: 2, stall: true)
            : OpenAIWire.Stream([.. chunks]);
    }

    /// <summary>A broken chunk after the first content, not a dropped connection: a reset could discard what the client has not read yet.</summary>
    private static ScriptedResponse BrokenStream(params JsonObject[] chunks) => async context =>
    {
        await ScriptedResponses.Sse([.. chunks.Select(c => new SseEvent(null, c.ToJsonString()))])(context);
        await context.Response.WriteAsync("data: {\"choices\": [\n\n", Encoding.UTF8);
    };

    // prompt_tokens counts the cached tokens too.
    private static JsonObject Usage(ScriptedTurn turn) =>
        OpenAIWire.Usage(turn.PromptTokens + turn.CachedTokens, turn.CompletionTokens, turn.CachedTokens, turn.ReasoningTokens);
}
