namespace AgentHost.Core.Observability;

/// <summary>Which model calls to add up (unix milliseconds, end exclusive), filtered and grouped.</summary>
public sealed record UsageQuery
{
    public long StartMs { get; init; }
    public long EndMs { get; init; } = long.MaxValue;

    /// <summary>One of <see cref="UsageGroups"/>'s values, or null for one grand total.</summary>
    public string? GroupBy { get; init; }
    public string? RunId { get; init; }
    public string? ThreadId { get; init; }
    public string? AssistantId { get; init; }
    public string? ApiKeyId { get; init; }
    public string? SessionId { get; init; }
    public string? EntryPoint { get; init; }
}
