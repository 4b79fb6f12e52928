using AgentHost.Core.Domain;

namespace AgentHost.Core.Storage;

/// <summary>
/// Responses of the Responses API: their settings, input and output items and streamed events. A response runs as a
/// run of the engine (<see cref="IAgentStore"/>) with the same id, created together with it.
/// </summary>
public interface IResponseStore
{
    /// <summary>
    /// Creates the response, its input items and its queued <paramref name="run"/> in one transaction, appending the
    /// input to the response's conversation when it has one.
    /// </summary>
    Task CreateAsync(StoredResponse response, IReadOnlyList<StoredItem> input, ThreadRun run, CancellationToken cancellationToken);

    Task<StoredResponse?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The response and its ancestors by <see cref="StoredResponse.PreviousResponseId"/>, oldest first; empty when it does not exist.</summary>
    Task<IReadOnlyList<StoredResponse>> GetChainAsync(string id, CancellationToken cancellationToken);

    /// <summary>The input then output items of each response, in the order of <paramref name="responseIds"/>.</summary>
    Task<IReadOnlyList<StoredItem>> GetItemsAsync(IReadOnlyList<string> responseIds, CancellationToken cancellationToken);

    /// <summary>Keeps the output items once (appending them to the conversation too); false when they were kept already.</summary>
    Task<bool> SaveOutputAsync(string responseId, IReadOnlyList<StoredItem> output, CancellationToken cancellationToken);

    /// <summary>Replaces the response's settings JSON (e.g. its metadata).</summary>
    Task UpdateDataAsync(string id, string data, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the response with its items, events and its run's steps and messages; the usage ledger keeps what it spent.
    /// False when there was no such response.
    /// </summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a response made with <c>store: false</c> once answered: as <see cref="DeleteAsync"/>, but its model calls'
    /// trace spans stay with their usage and cost, their request and response content removed.
    /// </summary>
    Task ForgetContentAsync(string id, CancellationToken cancellationToken);

    Task AppendEventAsync(string responseId, StoredEvent streamEvent, CancellationToken cancellationToken);

    /// <summary>The kept events of the response after <paramref name="afterSequenceNumber"/>, in order.</summary>
    Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string responseId, long afterSequenceNumber, CancellationToken cancellationToken);
}
