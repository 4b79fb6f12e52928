using System.Text.Json.Serialization;
using AgentHost.Core.Domain;

namespace AgentHost.Core.VectorStores;

/// <summary>
/// A vector store: the <c>vector_store</c> object. <see cref="FileCounts"/>, <see cref="UsageBytes"/> and
/// <see cref="Status"/> are computed from its files whenever it is read.
/// </summary>
public sealed record VectorStore
{
    public required string Id { get; init; }
    public string Object { get; init; } = "vector_store";
    public required long CreatedAt { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public long UsageBytes { get; init; }
    public FileCounts FileCounts { get; init; } = FileCounts.None;
    public string Status { get; init; } = VectorStoreStatus.Completed;
    public ExpiresAfter? ExpiresAfter { get; init; }
    public long? ExpiresAt { get; init; }
    public long? LastActiveAt { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty.Metadata;

    /// <summary>
    /// AgentHost extension: the embedding model this store's chunks are embedded with, recorded when it is created.
    /// Absent means all-MiniLM-L6-v2 (the model of stores from before models were recorded too), so such stores keep
    /// the original's shape.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EmbeddingModel { get; init; }

    /// <summary>The expiry the policy gives, counted from the last activity.</summary>
    public static long? ExpiryOf(ExpiresAfter? policy, long lastActiveAt) =>
        policy is null ? null : lastActiveAt + (policy.Days * 86_400L);
}

/// <summary><c>expires_after</c>: the store expires <see cref="Days"/> after <see cref="Anchor"/> (always <c>last_active_at</c>).</summary>
public sealed record ExpiresAfter(string Anchor, int Days);

public static class VectorStoreStatus
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Expired = "expired";
}
