using AgentHost.Core.Storage;

namespace AgentHost.Core.ManagedAgents;

/// <summary>
/// A Managed Agents object as the store keeps it: an agent version, an environment or a session. The columns the store
/// filters and orders on are kept beside the API object's JSON (<see cref="Data"/>), which the front door owns.
/// </summary>
public sealed record ManagedObject
{
    /// <summary>One of <see cref="ManagedObjectKinds"/>.</summary>
    public required string Kind { get; init; }

    public required string Id { get; init; }

    /// <summary>An agent's version (1, 2, …); 1 for objects that are updated in place.</summary>
    public int Version { get; init; } = 1;

    public string Project { get; init; } = ProjectScope.ForWrite;

    /// <summary>When the object (its first version) was created, in Unix milliseconds: lists are ordered by it.</summary>
    public required long CreatedAtMs { get; init; }

    public bool Archived { get; init; }

    /// <summary>A session's agent id, so sessions can be listed by agent.</summary>
    public string? ParentId { get; init; }

    /// <summary>A session's status (<c>idle</c>, <c>running</c>, …), compared and set atomically by <see cref="IManagedAgentStore.UpdateAsync"/>.</summary>
    public string? Status { get; init; }

    /// <summary>The front door's JSON of the object.</summary>
    public required string Data { get; init; }
}
