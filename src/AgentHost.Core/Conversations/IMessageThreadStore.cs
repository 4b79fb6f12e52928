namespace AgentHost.Core.Conversations;

/// <summary>
/// Durable Messages API threads (<see cref="MessageThreadTurn"/>): written once a reply is complete, read back as the
/// chain a <c>previous_message_id</c> names. Implemented on SQLite and on PostgreSQL.
/// </summary>
public interface IMessageThreadStore
{
    /// <summary>The chain ending at <paramref name="messageId"/>, or null when no turn of <paramref name="project"/> has that id.</summary>
    Task<MessageThreadChain?> GetChainAsync(string project, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="turn"/>; false, storing nothing, when its <see cref="MessageThreadTurn.PreviousMessageId"/>
    /// was continued already (by a request that finished first) or no longer exists.
    /// </summary>
    Task<bool> AppendAsync(MessageThreadTurn turn, CancellationToken cancellationToken);

    /// <summary>The turns counted in a gateway session, oldest first.</summary>
    Task<IReadOnlyList<MessageThreadTurn>> ListSessionTurnsAsync(string project, string sessionId, CancellationToken cancellationToken);

    /// <summary>Deletes the whole thread <paramref name="messageId"/> belongs to; false when there is none.</summary>
    Task<bool> DeleteThreadAsync(string project, string messageId, CancellationToken cancellationToken);
}
