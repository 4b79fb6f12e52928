namespace AgentHost.Core.Containers;

/// <summary>A validated create request: <c>name</c>, <c>file_ids</c> to copy in, <c>expires_after.minutes</c>, <c>memory_limit</c>.</summary>
public sealed record NewContainer
{
    public required string Name { get; init; }

    public IReadOnlyList<string> FileIds { get; init; } = [];

    /// <summary>Null for the configured default.</summary>
    public int? ExpiryMinutes { get; init; }

    public string MemoryLimit { get; init; } = ContainerMemoryLimits.Default;
}
