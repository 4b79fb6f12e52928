using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using AgentHost.Core.Conversations;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// Messages API threads held by AgentHost on every model (never forwarded upstream): a <c>create</c> stores the
/// conversation under the reply's id; a <c>continue</c> loads the chain its <c>previous_message_id</c> ends, and the
/// model is called with the thread's <c>system</c>, <c>tools</c> and history followed by the new messages. The reply
/// is stored only once complete, so a stream cut off stores nothing, as the API does.
/// </summary>
internal sealed class MessageThreads(IMessageThreadStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, bool> continuing = new(StringComparer.Ordinal);

    public IMessageThreadStore Store => store;

    public long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The request on its thread, or null when the body has no <c>thread</c>.</summary>
    public async Task<ThreadedMessagesRequest?> BeginAsync(HttpContext http, JsonElement body, CancellationToken cancellationToken)
    {
        if (MessageThreadParam.Read(body) is not { } thread)
        {
            return null;
        }

        if (!thread.Continues)
        {
            return new ThreadedMessagesRequest(this, thread, body, body, chain: null);
        }

        var previous = thread.PreviousMessageId!;
        var chain = await store.GetChainAsync(Core.Storage.ProjectScope.ForWrite, previous, cancellationToken) ?? throw MessageThreadException.NotFound(previous);
        if (chain.TipContinued)
        {
            throw MessageThreadException.AlreadyContinued(previous);
        }

        if (AnthropicField.Get(body, "messages") is { ValueKind: not JsonValueKind.Array })
        {
            throw AnthropicField.Invalid("messages", "Input should be a valid list");
        }

        var root = chain.First;
        RequireSame(body, "system", root.System);
        RequireSame(body, "tools", root.Tools);
        if (!continuing.TryAdd(previous, true))
        {
            throw MessageThreadException.ContinueInFlight(previous);
        }

        try
        {
            var document = JsonDocument.Parse(WholeConversation(body, chain).WrittenMemory);
            http.Response.RegisterForDispose(document);
            return new ThreadedMessagesRequest(this, thread, body, document.RootElement, chain);
        }
        catch
        {
            continuing.TryRemove(previous, out _);
            throw;
        }
    }

    public void Release(MessageThreadParam thread)
    {
        if (thread.PreviousMessageId is { } previous)
        {
            continuing.TryRemove(previous, out _);
        }
    }

    /// <summary>A continue takes <c>system</c> and <c>tools</c> from the thread; repeating them is fine, changing them is not.</summary>
    private static void RequireSame(JsonElement body, string field, string? stored)
    {
        if (AnthropicField.Get(body, field) is not { } given)
        {
            return;
        }

        using var storedDocument = stored is null ? null : JsonDocument.Parse(stored);
        if (storedDocument is null || !JsonElement.DeepEquals(given, storedDocument.RootElement))
        {
            throw MessageThreadException.FingerprintMismatch(field);
        }
    }

    /// <summary>The request's fields with the thread's <c>system</c> and <c>tools</c>, and its history before the new messages.</summary>
    private static ArrayBufferWriter<byte> WholeConversation(JsonElement body, MessageThreadChain chain)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is not ("thread" or "messages" or "system" or "tools"))
            {
                property.WriteTo(writer);
            }
        }

        if (chain.First.System is { } system)
        {
            writer.WritePropertyName("system");
            writer.WriteRawValue(system, skipInputValidation: true);
        }

        if (chain.First.Tools is { } tools)
        {
            writer.WritePropertyName("tools");
            writer.WriteRawValue(tools, skipInputValidation: true);
        }

        writer.WriteStartArray("messages");
        foreach (var turn in chain.Turns)
        {
            using (var input = JsonDocument.Parse(turn.Input))
            {
                foreach (var message in input.RootElement.EnumerateArray())
                {
                    message.WriteTo(writer);
                }
            }

            // A reply with no content (e.g. cut at max_tokens before a word) is no message: the API refuses empty ones.
            if (turn.Reply != "[]")
            {
                writer.WriteStartObject();
                writer.WriteString("role", "assistant");
                writer.WritePropertyName("content");
                writer.WriteRawValue(turn.Reply, skipInputValidation: true);
                writer.WriteEndObject();
            }
        }

        if (AnthropicField.Get(body, "messages") is { ValueKind: JsonValueKind.Array } messages)
        {
            foreach (var message in messages.EnumerateArray())
            {
                message.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }
}
