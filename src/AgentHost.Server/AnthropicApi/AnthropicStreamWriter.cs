using System.Text.Json;
using AgentHost.Server.Compat;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// Turns a stream of <see cref="ChatResponseUpdate"/>s into the Messages API's event sequence: <c>message_start</c>,
/// per block <c>content_block_start</c> / deltas / <c>content_block_stop</c> (a <c>ping</c> after the first start),
/// <c>message_delta</c> with the stop reason and cumulative usage, <c>message_stop</c>. Behind an Anthropic upstream
/// the raw events are followed, so blocks split where the upstream split them and tool input streams as it arrives.
/// On a thread, the message id is the thread's, the blocks are recorded, and the reply is stored with the thread
/// before <c>message_delta</c> goes out (a failure to store it ends the stream with an error event instead).
/// </summary>
internal sealed class AnthropicStreamWriter(HttpResponse http, string requestedModel, string requestId, MessagesMcpTools? mcp = null,
    ThreadedMessagesRequest? thread = null) : ICompatStreamWriter
{
    private readonly MessagesMcpTools _mcp = mcp ?? MessagesMcpTools.Empty;
    private readonly UsageDetails _earlierUsage = new();
    private readonly AnthropicContentRecorder? _recorder = thread is null ? null : new();
    private enum Block { None, Text, Thinking, ToolUse }

    private readonly EventStreamBuffer _events = new(http);
    private readonly HashSet<string> _streamedCalls = new(StringComparer.Ordinal);
    private Block _open;
    private int _index = -1;
    private bool _pinged;
    private bool _calledTools;
    private UsageDetails? _usage;
    private ChatFinishReason? _finishReason;
    private AnthropicStop? _rawStop;

    public void Start(ChatResponseUpdate first)
    {
        _events.Start();
        Started = true;

        var startUsage = first.RawRepresentation is RawMessageStreamEvent { Value: RawMessageStartEvent start }
            ? StartUsage(start.Message.Usage)
            : default;
        using (var writer = Event("message_start"))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message_start");
            writer.WriteStartObject("message");
            AnthropicJson.WriteMessageHead(writer, thread?.MessageId ?? AnthropicResponseWriter.MessageId(first.ResponseId ?? first.MessageId), first.ModelId ?? requestedModel);
            writer.WriteStartArray("content");
            writer.WriteEndArray();
            AnthropicJson.WriteStop(writer, null);
            AnthropicJson.WriteUsage(writer, startUsage);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        EndEvent();
    }

    public void Write(ChatResponseUpdate update)
    {
        _finishReason = update.FinishReason ?? _finishReason;
        switch (update.RawRepresentation)
        {
            case RawMessageStreamEvent { Value: RawContentBlockStartEvent { ContentBlock.Value: ToolUseBlock toolUse } }:
                OpenToolUse(toolUse.ID, toolUse.Name);
                _streamedCalls.Add(toolUse.ID);
                break;
            case RawMessageStreamEvent { Value: RawContentBlockStartEvent }:
                Close();
                break;
            case RawMessageStreamEvent { Value: RawContentBlockDeltaEvent { Delta.Value: InputJsonDelta json } } when _open == Block.ToolUse:
                Delta("input_json_delta", "partial_json", json.PartialJson);
                break;
            case RawMessageStreamEvent { Value: RawContentBlockStopEvent }:
                Close();
                break;
            case var raw when AnthropicStop.FromRaw(raw) is { } stop:
                _rawStop = stop;
                break;
        }

        foreach (var content in update.Contents)
        {
            Add(content);
        }
    }

    public Task EndAsync(CancellationToken cancellationToken) => EndAsync(null, cancellationToken);

    /// <summary>Ends the message, with <paramref name="stop"/> instead of the model's stop reason when given (the MCP loop's <c>pause_turn</c>).</summary>
    public async Task EndAsync(AnthropicStop? stop, CancellationToken cancellationToken)
    {
        Close();
        var finalStop = stop ?? _rawStop ?? AnthropicStop.From(_finishReason, _calledTools);
        if (thread is not null)
        {
            await thread.CompleteAsync(_recorder!.ToJson(), finalStop.Reason, cancellationToken);
        }

        using (var writer = Event("message_delta"))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message_delta");
            writer.WriteStartObject("delta");
            AnthropicJson.WriteStop(writer, finalStop);
            writer.WriteEndObject();
            var usage = new UsageDetails();
            usage.Add(_earlierUsage);
            if (_usage is { } last)
            {
                usage.Add(last);
            }

            AnthropicJson.WriteUsage(writer, TokenUsage.From(usage));
            writer.WriteEndObject();
        }

        EndEvent();
        using (var writer = Event("message_stop"))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message_stop");
            writer.WriteEndObject();
        }

        EndEvent();
        await FlushAsync(cancellationToken);
    }

    /// <summary>True once the 200 and <c>message_start</c> went out.</summary>
    public bool Started { get; private set; }

    /// <summary>The MCP loop calls the model again: the message goes on, its usage is added up, the new call's stop reason counts.</summary>
    public void NextModelCall()
    {
        Close();
        if (_usage is { } usage)
        {
            _earlierUsage.Add(usage);
        }

        _usage = null;
        _rawStop = null;
        _finishReason = null;
        _calledTools = false;
    }

    /// <summary>An MCP call's result, as Anthropic streams result blocks: whole in <c>content_block_start</c>, then <c>content_block_stop</c>.</summary>
    public void WriteMcpResult(FunctionResultContent result)
    {
        Close();
        _recorder?.AddBlock(McpToolResultBlock.ToJson(result));
        StartBlock(writer => McpToolResultBlock.WriteProperties(writer, result));
        _open = Block.ToolUse;
        Close();
    }

    /// <summary>A failure after the 200 went out can only be reported in the stream, as the API does.</summary>
    public async Task FailAsync(CallFailure failure, CancellationToken cancellationToken)
    {
        using (var writer = Event("error"))
        {
            AnthropicErrors.WriteEnvelope(writer, failure, requestId);
        }

        EndEvent();
        await FlushAsync(cancellationToken);
    }

    private void Add(AIContent content)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } text:
                Open(Block.Text);
                Delta("text_delta", "text", text.Text);
                break;
            case TextReasoningContent { RawRepresentation: RedactedThinkingBlock, ProtectedData.Length: > 0 } redacted:
                Close();
                _recorder?.AddRedactedThinking(redacted.ProtectedData);
                StartBlock(writer =>
                {
                    writer.WriteString("type", "redacted_thinking");
                    writer.WriteString("data", redacted.ProtectedData);
                });
                _open = Block.Thinking;
                Close();
                break;
            case TextReasoningContent { Text.Length: > 0 } reasoning:
                Open(Block.Thinking);
                Delta("thinking_delta", "thinking", reasoning.Text);
                if (reasoning.ProtectedData is { Length: > 0 } signature)
                {
                    Delta("signature_delta", "signature", signature);
                }

                break;
            case TextReasoningContent { ProtectedData.Length: > 0 } signatureOnly:
                Open(Block.Thinking);
                Delta("signature_delta", "signature", signatureOnly.ProtectedData);
                break;
            case FunctionCallContent call:
                if (_streamedCalls.Contains(call.CallId))
                {
                    break;
                }

                OpenToolUse(call.CallId, call.Name);
                Delta("input_json_delta", "partial_json", ToolArguments.ToJson(call.Arguments));
                Close();
                break;
            case UsageContent usage:
                _usage = usage.Details;
                break;
        }
    }

    private void Open(Block block)
    {
        if (_open == block)
        {
            return;
        }

        Close();
        if (block == Block.Text)
        {
            _recorder?.StartText();
        }
        else
        {
            _recorder?.StartThinking();
        }

        StartBlock(writer =>
        {
            if (block == Block.Text)
            {
                writer.WriteString("type", "text");
                writer.WriteString("text", "");
            }
            else
            {
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", "");
                writer.WriteString("signature", "");
            }
        });
        _open = block;
    }

    private void OpenToolUse(string id, string name)
    {
        var isMcp = _mcp.TryGet(name, out var server, out var tool);
        _calledTools |= !isMcp;
        Close();
        _recorder?.StartToolUse(id, isMcp ? tool.Name : name, isMcp ? server.Name : null);
        StartBlock(writer =>
        {
            writer.WriteString("type", isMcp ? "mcp_tool_use" : "tool_use");
            writer.WriteString("id", id);
            writer.WriteString("name", isMcp ? tool.Name : name);
            if (isMcp)
            {
                writer.WriteString("server_name", server.Name);
            }

            writer.WriteStartObject("input");
            writer.WriteEndObject();
        });
        _open = Block.ToolUse;
    }

    private void StartBlock(Action<Utf8JsonWriter> writeBlock)
    {
        _index++;
        using (var writer = Event("content_block_start"))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_start");
            writer.WriteNumber("index", _index);
            writer.WriteStartObject("content_block");
            writeBlock(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        EndEvent();
        if (!_pinged)
        {
            _pinged = true;
            using (var writer = Event("ping"))
            {
                writer.WriteStartObject();
                writer.WriteString("type", "ping");
                writer.WriteEndObject();
            }

            EndEvent();
        }
    }

    private void Delta(string type, string field, string value)
    {
        _recorder?.Delta(type, value);
        using (var writer = Event("content_block_delta"))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_delta");
            writer.WriteNumber("index", _index);
            writer.WriteStartObject("delta");
            writer.WriteString("type", type);
            writer.WriteString(field, value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        EndEvent();
    }

    private void Close()
    {
        if (_open == Block.None)
        {
            return;
        }

        using (var writer = Event("content_block_stop"))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_stop");
            writer.WriteNumber("index", _index);
            writer.WriteEndObject();
        }

        EndEvent();
        _open = Block.None;
    }

    private Utf8JsonWriter Event(string name)
    {
        Write("event: ");
        Write(name);
        Write("\ndata: ");
        return new Utf8JsonWriter(_events.Writer);
    }

    private void EndEvent() => Write("\n\n");

    private void Write(string ascii)
    {
        var span = _events.Writer.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        _events.Writer.Advance(ascii.Length);
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _events.FlushAsync(cancellationToken);

    private static TokenUsage StartUsage(Usage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CacheReadInputTokens ?? 0, usage.CacheCreationInputTokens ?? 0, 0);
}
