namespace AgentHost.Core.Conversations;

/// <summary>
/// One turn of a Messages API thread (<c>thread</c> on <c>/v1/messages</c>), held by AgentHost: the messages the
/// request sent and the reply it got, keyed by the reply's <c>msg_…</c> id. A turn continues the one named by
/// <see cref="PreviousMessageId"/> (null on the turn that created the thread), and each turn is continued at most
/// once, so a thread's turns form one chain; its history is the chain's inputs and replies in order.
/// </summary>
public sealed record MessageThreadTurn
{
    /// <summary>The reply's id (<c>msg_…</c>), which the next turn names as its <c>previous_message_id</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The tenancy project the thread belongs to.</summary>
    public required string Project { get; init; }

    /// <summary>The id of the thread's first reply: every turn of one thread carries it.</summary>
    public required string ThreadId { get; init; }

    public string? PreviousMessageId { get; init; }

    /// <summary>The gateway session the turn's call was counted in.</summary>
    public string? SessionId { get; init; }

    /// <summary>The model the request asked for.</summary>
    public required string Model { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>The <c>system</c> the thread was created with (JSON), on the first turn only.</summary>
    public string? System { get; init; }

    /// <summary>The <c>tools</c> the thread was created with (JSON array), on the first turn only.</summary>
    public string? Tools { get; init; }

    /// <summary>The messages the request sent (JSON array of message params), as sent.</summary>
    public required string Input { get; init; }

    /// <summary>The reply's content blocks (JSON array), as the client received them.</summary>
    public required string Reply { get; init; }

    public string? StopReason { get; init; }
}
