namespace AgentHost.Core.Storage;

/// <summary>
/// Conversations and their items, in the order they were added; never expire. Responses made in a conversation
/// append their input and output through <see cref="IResponseStore"/>, in the same transaction as the response's own.
/// </summary>
public interface IConversationStore
{
    /// <summary>Creates the conversation with its first items in one transaction.</summary>
    Task CreateAsync(StoredConversation conversation, IReadOnlyList<StoredItem> items, CancellationToken cancellationToken);

    Task<StoredConversation?> GetAsync(string id, CancellationToken cancellationToken);

    Task<bool> UpdateAsync(StoredConversation conversation, CancellationToken cancellationToken);

    /// <summary>Deletes the conversation and its items; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Appends items; an id the conversation already holds is skipped. False when the conversation does not exist.</summary>
    Task<bool> AddItemsAsync(string conversationId, IReadOnlyList<StoredItem> items, CancellationToken cancellationToken);

    Task<Page<StoredItem>> ListItemsAsync(string conversationId, ListQuery query, CancellationToken cancellationToken);

    /// <summary>Every item of the conversation, oldest first, up to and including <paramref name="throughItemId"/> when given.</summary>
    Task<IReadOnlyList<StoredItem>> GetItemsAsync(string conversationId, string? throughItemId, CancellationToken cancellationToken);

    Task<StoredItem?> GetItemAsync(string conversationId, string itemId, CancellationToken cancellationToken);

    Task<bool> DeleteItemAsync(string conversationId, string itemId, CancellationToken cancellationToken);
}
