using AgentHost.Core.Conversations;

namespace AgentHost.Server.Observability.Sessions;

/// <summary>A Messages thread as <c>GET /v1/agenthost/message_threads</c> lists it; its turns are in the single view.</summary>
public sealed record MessageThreadListItem
{
    public required string Id { get; init; }
    public string Object { get; init; } = "agenthost.message_thread";
    public required long Turns { get; init; }

    /// <summary>Unix seconds of the first and the latest turn.</summary>
    public required long CreatedAt { get; init; }
    public required long LastTurnAt { get; init; }

    /// <summary>The thread's tip: the <c>previous_message_id</c> that continues it.</summary>
    public required string LastMessageId { get; init; }
    public required string LastModel { get; init; }
    public string? SessionId { get; init; }

    public static MessageThreadListItem From(MessageThreadSummary thread) => new()
    {
        Id = thread.ThreadId,
        Turns = thread.Turns,
        CreatedAt = thread.CreatedAt / 1000,
        LastTurnAt = thread.LastTurnAt / 1000,
        LastMessageId = thread.LastMessageId,
        LastModel = thread.LastModel,
        SessionId = thread.SessionId,
    };
}
