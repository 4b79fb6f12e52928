using System.Text.Json;
using AgentHost.Server.Compat;

namespace AgentHost.Server.ChatCompletions;

/// <summary>Shapes shared by <c>chat.completion</c> and <c>chat.completion.chunk</c>, written straight to the response.</summary>
internal static class ChatCompletionJson
{
    public static void WriteHead(Utf8JsonWriter writer, string id, string type, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", type);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteNull("system_fingerprint");
    }

    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", usage.PromptTokens + usage.OutputTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CacheReadTokens);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>An OpenAI upstream's completion id is kept; others get one in OpenAI's form.</summary>
    public static string CompletionId(string? upstreamId) =>
        upstreamId is not null && upstreamId.StartsWith("chatcmpl-", StringComparison.Ordinal)
            ? upstreamId
            : "chatcmpl-" + Core.Domain.IdGenerator.New("x")[2..];
}
