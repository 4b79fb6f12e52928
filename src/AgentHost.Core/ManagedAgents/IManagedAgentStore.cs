using AgentHost.Core.Storage;

namespace AgentHost.Core.ManagedAgents;

/// <summary>
/// Managed Agents' agents (every version kept), environments and sessions, and each session's event log. The engine's
/// runs of a session's turns live in <see cref="IAgentStore"/> under their own ids, as a response's run does.
/// </summary>
public interface IManagedAgentStore
{
    /// <summary>
    /// Stores a new object, or a new version of an agent (<see cref="ManagedObject.Version"/> &gt; 1) when the latest
    /// stored version is the one before it. False when the id (version) is taken or another version got there first.
    /// </summary>
    Task<bool> InsertAsync(ManagedObject managedObject, CancellationToken cancellationToken);

    /// <summary>
    /// Rewrites a stored version in place (data, archived, status); with <paramref name="expectedStatus"/>, only if its
    /// stored status is still that. False when there is no such version or the status differs.
    /// </summary>
    Task<bool> UpdateAsync(ManagedObject managedObject, string? expectedStatus, CancellationToken cancellationToken);

    /// <summary>A version of the object, or its latest when <paramref name="version"/> is null; null when none.</summary>
    Task<ManagedObject?> GetAsync(string kind, string id, int? version, CancellationToken cancellationToken);

    /// <summary>The latest version of each object of <paramref name="kind"/>, newest first unless the query says otherwise.</summary>
    Task<Page<ManagedObject>> ListAsync(string kind, ManagedListQuery query, CancellationToken cancellationToken);

    /// <summary>The versions of one object, newest first; <see cref="ListQuery.After"/> is a version number.</summary>
    Task<Page<ManagedObject>> ListVersionsAsync(string kind, string id, ListQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes every version of the object; for a session also its events and its turns' runs. False when none.</summary>
    Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken);

    /// <summary>Appends events to a session's log in order, returning them with their sequence numbers.</summary>
    Task<IReadOnlyList<SessionEventRecord>> AppendEventsAsync(string sessionId, IReadOnlyList<SessionEventRecord> events, CancellationToken cancellationToken);

    Task<Page<SessionEventRecord>> ListEventsAsync(string sessionId, SessionEventQuery query, CancellationToken cancellationToken);

    /// <summary>Every event of a session from sequence <paramref name="afterSequence"/> (exclusive), oldest first.</summary>
    Task<IReadOnlyList<SessionEventRecord>> EventsAfterAsync(string sessionId, long afterSequence, CancellationToken cancellationToken);

    Task<SessionEventRecord?> GetEventAsync(string sessionId, string eventId, CancellationToken cancellationToken);
}
