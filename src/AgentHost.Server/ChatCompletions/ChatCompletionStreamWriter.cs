using System.Buffers;
using System.Text.Json;
using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Compat;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ChatCompletions;

/// <summary>
/// Turns <see cref="ChatResponseUpdate"/>s into <c>chat.completion.chunk</c> data events ending in <c>[DONE]</c>: a role
/// chunk, content and tool-call deltas (by call index), a finish chunk, and with <c>include_usage</c> a last chunk with
/// usage and no choices. Behind an Anthropic upstream, tool arguments stream as the upstream sends them.
/// </summary>
internal sealed class ChatCompletionStreamWriter(HttpResponse http, string requestedModel, long created, bool includeUsage) : ICompatStreamWriter
{
    private readonly EventStreamBuffer _events = new(http);
    private readonly HashSet<string> _streamedCalls = new(StringComparer.Ordinal);
    private string _id = "";
    private string _model = "";
    private int _toolIndex = -1;
    private bool _inStreamedCall;
    private UsageDetails? _usage;
    private ChatFinishReason? _finishReason;
    private AnthropicStop? _rawStop;

    public void Start(ChatResponseUpdate first)
    {
        _events.Start();
        _id = ChatCompletionJson.CompletionId(first.ResponseId);
        _model = first.ModelId ?? requestedModel;
        Chunk(writer =>
        {
            writer.WriteString("role", "assistant");
            writer.WriteString("content", "");
            writer.WriteNull("refusal");
        });
    }

    public void Write(ChatResponseUpdate update)
    {
        _finishReason = update.FinishReason ?? _finishReason;
        switch (update.RawRepresentation)
        {
            case RawMessageStreamEvent { Value: RawContentBlockStartEvent { ContentBlock.Value: ToolUseBlock toolUse } }:
                _streamedCalls.Add(toolUse.ID);
                _inStreamedCall = true;
                ToolCallStart(toolUse.ID, toolUse.Name, "");
                break;
            case RawMessageStreamEvent { Value: RawContentBlockDeltaEvent { Delta.Value: InputJsonDelta json } } when _inStreamedCall:
                ToolCallArguments(json.PartialJson);
                break;
            case RawMessageStreamEvent { Value: RawContentBlockStopEvent }:
                _inStreamedCall = false;
                break;
            case var raw when AnthropicStop.FromRaw(raw) is { } stop:
                _rawStop = stop;
                break;
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    Chunk(writer => writer.WriteString("content", text.Text));
                    break;
                case FunctionCallContent call when !_streamedCalls.Contains(call.CallId):
                    ToolCallStart(call.CallId, call.Name, ToolArguments.ToJson(call.Arguments));
                    break;
                case UsageContent usage:
                    _usage = usage.Details;
                    break;
            }
        }
    }

    public async Task EndAsync(CancellationToken cancellationToken)
    {
        var finish = ChatFinishReasons.From(_rawStop, _finishReason, _toolIndex >= 0);
        Chunk(_ => { }, finish);
        if (includeUsage)
        {
            Data(writer =>
            {
                writer.WriteStartObject();
                ChatCompletionJson.WriteHead(writer, _id, "chat.completion.chunk", created, _model);
                writer.WriteStartArray("choices");
                writer.WriteEndArray();
                ChatCompletionJson.WriteUsage(writer, TokenUsage.From(_usage));
                writer.WriteEndObject();
            });
        }

        Done();
        await FlushAsync(cancellationToken);
    }

    /// <summary>OpenAI reports a failure after the 200 as a data event holding the error envelope.</summary>
    public async Task FailAsync(CallFailure failure, CancellationToken cancellationToken)
    {
        var (_, type, code) = ChatCompletionErrors.Describe(failure.Kind);
        Data(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", failure.Message);
            writer.WriteString("type", type);
            writer.WriteNull("param");
            if (code is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", code);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        Done();
        await FlushAsync(cancellationToken);
    }

    private void ToolCallStart(string id, string name, string arguments)
    {
        _toolIndex++;
        Chunk(writer =>
        {
            writer.WriteStartArray("tool_calls");
            writer.WriteStartObject();
            writer.WriteNumber("index", _toolIndex);
            writer.WriteString("id", id);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", name);
            writer.WriteString("arguments", arguments);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        });
    }

    private void ToolCallArguments(string arguments) => Chunk(writer =>
    {
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", _toolIndex);
        writer.WriteStartObject("function");
        writer.WriteString("arguments", arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    private void Chunk(Action<Utf8JsonWriter> writeDelta, string? finishReason = null) => Data(writer =>
    {
        writer.WriteStartObject();
        ChatCompletionJson.WriteHead(writer, _id, "chat.completion.chunk", created, _model);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        writeDelta(writer);
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (includeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
    });

    private void Data(Action<Utf8JsonWriter> write)
    {
        _events.Writer.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(_events.Writer))
        {
            write(writer);
        }

        _events.Writer.Write("\n\n"u8);
    }

    private void Done() => _events.Writer.Write("data: [DONE]\n\n"u8);

    public Task FlushAsync(CancellationToken cancellationToken) => _events.FlushAsync(cancellationToken);
}
