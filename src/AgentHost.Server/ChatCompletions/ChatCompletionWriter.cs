using System.Text;
using System.Text.Json;
using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Compat;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ChatCompletions;

/// <summary>A whole <see cref="ChatResponse"/> as a <c>chat.completion</c>.</summary>
internal static class ChatCompletionWriter
{
    public static async Task WriteAsync(HttpResponse http, ChatResponse response, string requestedModel, long created, CancellationToken cancellationToken)
    {
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(http.BodyWriter))
        {
            Write(writer, response, requestedModel, created);
        }

        await http.BodyWriter.FlushAsync(cancellationToken);
    }

    private static void Write(Utf8JsonWriter writer, ChatResponse response, string requestedModel, long created)
    {
        var text = new StringBuilder();
        var calls = new List<FunctionCallContent>();
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case FunctionCallContent call:
                        calls.Add(call);
                        break;
                }
            }
        }

        var finish = ChatFinishReasons.From(AnthropicStop.FromRaw(response.RawRepresentation), response.FinishReason, calls.Count > 0);
        writer.WriteStartObject();
        ChatCompletionJson.WriteHead(writer, ChatCompletionJson.CompletionId(response.ResponseId), "chat.completion", created, response.ModelId ?? requestedModel);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        if (text.Length > 0 || calls.Count == 0)
        {
            writer.WriteString("content", text.ToString());
        }
        else
        {
            writer.WriteNull("content");
        }

        writer.WriteNull("refusal");
        if (calls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.CallId);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", ToolArguments.ToJson(call.Arguments));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", finish);
        writer.WriteEndObject();
        writer.WriteEndArray();
        ChatCompletionJson.WriteUsage(writer, TokenUsage.From(response.Usage));
        writer.WriteEndObject();
    }
}
