using System.Text.Json;
using AgentHost.Tools.Mcp;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// An MCP call's result as the Messages API's <c>mcp_tool_result</c> block, whose content may hold text blocks only:
/// the text the model read (images, audio and binary resources named in it by the file id they are stored under,
/// embedded text resources inlined with their URI, resource links with their URI), then, when the result carried
/// <c>structuredContent</c> beside its text, that JSON as a second text block. Images also reach the model itself.
/// </summary>
internal static class McpToolResultBlock
{
    private const string StructuredKey = "agenthost.mcp.structured_content";

    /// <summary>The result the model reads, carrying what the block shows beyond it; <c>Exception</c> set when the call failed.</summary>
    public static FunctionResultContent From(string callId, McpToolCallResult result)
    {
        var failed = result.Error is not null || result.IsError;
        var content = new FunctionResultContent(callId, result.Output) { Exception = failed ? new ToolResultError(result.Output) : null };
        if (result.StructuredContent is { } structured && structured.GetRawText() is var json && json != result.Output)
        {
            content.AdditionalProperties = new() { [StructuredKey] = json };
        }

        return content;
    }

    /// <summary>Writes the block's properties (the caller writes the object around them).</summary>
    public static void WriteProperties(Utf8JsonWriter writer, FunctionResultContent result)
    {
        writer.WriteString("type", "mcp_tool_result");
        writer.WriteString("tool_use_id", result.CallId);
        writer.WriteBoolean("is_error", result.Exception is not null);
        writer.WriteStartArray("content");
        Text(writer, result.Result as string ?? string.Empty);
        if (result.AdditionalProperties?.TryGetValue(StructuredKey, out var structured) == true && structured is string json)
        {
            Text(writer, json);
        }

        writer.WriteEndArray();
    }

    /// <summary>The block as JSON text, as a thread stores it.</summary>
    public static string ToJson(FunctionResultContent result)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteProperties(writer, result);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Text(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
