namespace AgentHost.Core.ManagedAgents;

/// <summary>A page of the latest version of each object of one kind, newest first unless <see cref="Ascending"/>.</summary>
public sealed record ManagedListQuery
{
    public int Limit { get; init; } = 20;

    public bool Ascending { get; init; }

    /// <summary>The id of the last object of the previous page.</summary>
    public string? After { get; init; }

    public bool IncludeArchived { get; init; }

    /// <summary>Only objects with this <see cref="ManagedObject.ParentId"/> (a session's agent).</summary>
    public string? ParentId { get; init; }

    /// <summary>Only objects in one of these statuses; empty for all.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>Created at or after / at or before these Unix milliseconds.</summary>
    public long? CreatedFromMs { get; init; }

    public long? CreatedToMs { get; init; }
}
