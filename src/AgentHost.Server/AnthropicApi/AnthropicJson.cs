using System.Text.Json;
using AgentHost.Server.Compat;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// The Messages API's response shapes, written straight to the response: they are polymorphic, order matters to
/// readers that compare bytes, and skipping an object model keeps the added latency to microseconds.
/// </summary>
internal static class AnthropicJson
{
    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteNumber("cache_creation_input_tokens", usage.CacheCreationTokens);
        writer.WriteNumber("cache_read_input_tokens", usage.CacheReadTokens);
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteEndObject();
    }

    /// <summary>The message object up to and excluding <c>content</c>'s items.</summary>
    public static void WriteMessageHead(Utf8JsonWriter writer, string id, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", model);
    }

    public static void WriteStop(Utf8JsonWriter writer, AnthropicStop? stop)
    {
        if (stop is { } s)
        {
            writer.WriteString("stop_reason", s.Reason);
            if (s.Sequence is null)
            {
                writer.WriteNull("stop_sequence");
            }
            else
            {
                writer.WriteString("stop_sequence", s.Sequence);
            }
        }
        else
        {
            writer.WriteNull("stop_reason");
            writer.WriteNull("stop_sequence");
        }
    }
}
