using System.Text.Json;
using AgentHost.Core.Conversations;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// A <c>/v1/messages</c> request on a thread, between its arrival and its reply: the body the model is called with
/// (on a continue, the thread's history followed by the new messages) and what is stored once the reply is complete.
/// Disposing it lets another request continue from the same previous message.
/// </summary>
internal sealed class ThreadedMessagesRequest(MessageThreads threads, MessageThreadParam thread, JsonElement body, JsonElement effectiveBody, MessageThreadChain? chain) : IDisposable
{
    /// <summary>The reply's id, which the next turn names as <c>previous_message_id</c>.</summary>
    public string MessageId { get; } = Core.Domain.IdGenerator.Message();

    /// <summary>The body to translate for the model: the whole conversation.</summary>
    public JsonElement Body => effectiveBody;

    /// <summary>The gateway session of the thread's latest turn, for a continue that names none itself.</summary>
    public string? Session => chain?.Tip.SessionId;

    private string model = "";
    private string? sessionId;

    /// <summary>The model asked for and the gateway session the call is counted in, stored with the turn.</summary>
    public void Attach(string requestedModel, string? session)
    {
        model = requestedModel;
        sessionId = session;
    }

    /// <summary>Stores the turn; a reply to a previous message that another request continued first is refused.</summary>
    public async Task CompleteAsync(string reply, string? stopReason, CancellationToken cancellationToken)
    {
        string? Raw(string name) => chain is null && AnthropicField.Get(body, name) is { } value ? value.GetRawText() : null;
        var turn = new MessageThreadTurn
        {
            Id = MessageId,
            Project = Core.Storage.ProjectScope.ForWrite,
            ThreadId = chain?.First.ThreadId ?? MessageId,
            PreviousMessageId = thread.PreviousMessageId,
            SessionId = sessionId,
            Model = model,
            CreatedAt = threads.Now(),
            System = Raw("system"),
            Tools = Raw("tools"),
            Input = AnthropicField.Get(body, "messages")?.GetRawText() ?? "[]",
            Reply = reply,
            StopReason = stopReason,
        };
        if (!await threads.Store.AppendAsync(turn, cancellationToken))
        {
            throw MessageThreadException.AlreadyContinued(thread.PreviousMessageId!);
        }
    }

    public void Dispose() => threads.Release(thread);
}
