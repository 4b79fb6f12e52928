namespace AgentHost.Core.Retrieval;

/// <summary>A file's chunks, written as one unit by <see cref="IChunkStore.ReplaceFileAsync"/>.</summary>
public sealed record FileChunks(
    string StoreId,
    string EmbeddingModel,
    int Dimensions,
    string FileId,
    string Filename,
    string AttributesJson,
    IReadOnlyList<ChunkWrite> Chunks);
