using System.Text.Json.Serialization;

namespace AgentHost.Core.Containers;

/// <summary>
/// The <c>container</c> object of <c>/v1/containers</c>: a durable workspace whose files live under <c>/mnt/data</c>
/// of a sandbox session that is started on demand, kept while the container is used, and rebuilt from its stored
/// files after a restart.
/// </summary>
public sealed record Container
{
    public const string Running = "running";
    public const string Expired = "expired";

    public required string Id { get; init; }
    public string Object { get; init; } = "container";
    public required string Name { get; init; }
    public required long CreatedAt { get; init; }
    public string Status { get; init; } = Running;
    public required ContainerExpiresAfter ExpiresAfter { get; init; }
    public required long LastActiveAt { get; init; }
    public string MemoryLimit { get; init; } = ContainerMemoryLimits.Default;

    /// <summary>Always <c>disabled</c>: sandboxed code has no network.</summary>
    public ContainerNetworkPolicy NetworkPolicy { get; init; } = ContainerNetworkPolicy.Disabled;

    /// <summary>The project (tenant) the container belongs to; stored in its own column, never sent.</summary>
    [JsonIgnore]
    public string Project { get; init; } = ContainerProjects.Default;

    /// <summary>When the container expires: <see cref="ExpiresAfter"/> minutes after <see cref="LastActiveAt"/>.</summary>
    [JsonIgnore]
    public long ExpiresAt => LastActiveAt + ExpiresAfter.Minutes * 60L;
}
