namespace AgentHost.Core.VectorStores;

/// <summary>A batch of files added together: the <c>vector_store.file_batch</c> object; counts computed on read.</summary>
public sealed record VectorStoreFileBatch
{
    public required string Id { get; init; }
    public string Object { get; init; } = "vector_store.file_batch";
    public required long CreatedAt { get; init; }
    public required string VectorStoreId { get; init; }
    public string Status { get; init; } = VectorStoreFileStatus.InProgress;
    public FileCounts FileCounts { get; init; } = FileCounts.None;
}
