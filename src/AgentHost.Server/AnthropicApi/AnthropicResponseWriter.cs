using System.Text.Json;
using AgentHost.Server.Compat;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>A whole <see cref="ChatResponse"/> as a Messages API <c>message</c>.</summary>
internal static class AnthropicResponseWriter
{
    public static async Task WriteAsync(HttpResponse http, ChatResponse response, string requestedModel, CancellationToken cancellationToken,
        MessagesMcpTools? mcp = null)
    {
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(http.BodyWriter))
        {
            Write(writer, response, requestedModel, mcp ?? MessagesMcpTools.Empty);
        }

        await http.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The reply of a thread's turn: rendered under the thread's message id, stored with the thread (its content and
    /// stop reason as sent), and only then sent.
    /// </summary>
    public static async Task WriteAsync(HttpResponse http, ChatResponse response, string requestedModel, ThreadedMessagesRequest thread, CancellationToken cancellationToken,
        MessagesMcpTools? mcp = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, response, requestedModel, mcp ?? MessagesMcpTools.Empty, thread.MessageId);
        }

        using (var message = JsonDocument.Parse(buffer.WrittenMemory))
        {
            var root = message.RootElement;
            await thread.CompleteAsync(root.GetProperty("content").GetRawText(), root.GetProperty("stop_reason").GetString(), cancellationToken);
        }

        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "application/json";
        await http.BodyWriter.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <param name="mcp">The call's MCP tools: their calls and results are written as <c>mcp_tool_use</c> / <c>mcp_tool_result</c> blocks.</param>
    /// <param name="messageId">The id to answer under (a thread's turn has its own); else the upstream's or a new one.</param>
    public static void Write(Utf8JsonWriter writer, ChatResponse response, string requestedModel, MessagesMcpTools mcp, string? messageId = null)
    {
        var calledTools = false;
        writer.WriteStartObject();
        AnthropicJson.WriteMessageHead(writer, messageId ?? MessageId(response.ResponseId), response.ModelId ?? requestedModel);
        writer.WriteStartArray("content");
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call && mcp.TryGet(call.Name, out var server, out var tool))
                {
                    WriteMcpToolUse(writer, call, server.Name, tool.Name);
                    continue;
                }

                if (content is FunctionResultContent result)
                {
                    WriteMcpToolResult(writer, result);
                    continue;
                }

                calledTools |= content is FunctionCallContent;
                WriteBlock(writer, content);
            }
        }

        writer.WriteEndArray();
        var paused = response.AdditionalProperties?.ContainsKey(MessagesMcpLoop.PauseTurn) == true;
        AnthropicJson.WriteStop(writer, paused
            ? new AnthropicStop("pause_turn", null)
            : AnthropicStop.FromRaw(response.RawRepresentation) ?? AnthropicStop.From(response.FinishReason, calledTools));
        AnthropicJson.WriteUsage(writer, TokenUsage.From(response.Usage));
        writer.WriteEndObject();
    }

    /// <summary>An Anthropic upstream's message id is kept (it is what its logs know); others get one in Anthropic's form.</summary>
    public static string MessageId(string? upstreamId) =>
        upstreamId is not null && upstreamId.StartsWith("msg_", StringComparison.Ordinal) ? upstreamId : Core.Domain.IdGenerator.New("msg");

    /// <summary>An MCP call AgentHost ran: the tool's own name, the server's name from <c>mcp_servers</c>, and the input.</summary>
    public static void WriteMcpToolUse(Utf8JsonWriter writer, FunctionCallContent call, string serverName, string toolName)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "mcp_tool_use");
        writer.WriteString("id", call.CallId);
        writer.WriteString("name", toolName);
        writer.WriteString("server_name", serverName);
        writer.WritePropertyName("input");
        ToolArguments.Write(writer, call.Arguments);
        writer.WriteEndObject();
    }

    /// <summary>An MCP call's result as the model read it (<see cref="McpToolResultBlock"/>); <c>is_error</c> when the call failed or the tool said so.</summary>
    public static void WriteMcpToolResult(Utf8JsonWriter writer, FunctionResultContent result)
    {
        writer.WriteStartObject();
        McpToolResultBlock.WriteProperties(writer, result);
        writer.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } text:
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", text.Text);
                writer.WriteEndObject();
                break;
            case TextReasoningContent { Text.Length: 0, ProtectedData: { } data }:
                writer.WriteStartObject();
                writer.WriteString("type", "redacted_thinking");
                writer.WriteString("data", data);
                writer.WriteEndObject();
                break;
            case TextReasoningContent reasoning:
                writer.WriteStartObject();
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", reasoning.Text);
                writer.WriteString("signature", reasoning.ProtectedData ?? "");
                writer.WriteEndObject();
                break;
            case FunctionCallContent call:
                writer.WriteStartObject();
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", call.CallId);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("input");
                ToolArguments.Write(writer, call.Arguments);
                writer.WriteEndObject();
                break;
        }
    }
}
