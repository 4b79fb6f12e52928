namespace AgentHost.Core.ManagedAgents;

/// <summary>A page of a session's events, oldest first unless not <see cref="Ascending"/>.</summary>
public sealed record SessionEventQuery
{
    public int Limit { get; init; } = 100;

    public bool Ascending { get; init; } = true;

    /// <summary>The id of the last event of the previous page.</summary>
    public string? After { get; init; }

    /// <summary>Only events of these types; empty for all.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Processed after (exclusive) / before (exclusive) these Unix milliseconds.</summary>
    public long? ProcessedAfterMs { get; init; }

    public long? ProcessedBeforeMs { get; init; }
}
