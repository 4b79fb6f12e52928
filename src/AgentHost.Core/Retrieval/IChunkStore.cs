namespace AgentHost.Core.Retrieval;

/// <summary>
/// The durable copy of every vector store's chunks that the retrieval engine builds its in-memory index from: per
/// store its embedding model; per file its name and attributes; per chunk its text, token count and float32 embedding,
/// and beside it the load-time form (int8 codes and BM25 term counts) so a store loads without re-analysing text.
/// </summary>
public interface IChunkStore
{
    /// <summary>Ids of the stores that have chunks, in the order they were first written.</summary>
    Task<IReadOnlyList<string>> StoreIdsAsync(CancellationToken cancellationToken);

    /// <summary>The store's embedding model, or null when it has no chunks.</summary>
    Task<ChunkStoreModel?> GetModelAsync(string storeId, CancellationToken cancellationToken);

    /// <summary>The store's files in the order they were written.</summary>
    IAsyncEnumerable<ChunkFileRow> ReadFilesAsync(string storeId, CancellationToken cancellationToken);

    /// <summary>The load-time form of the store's chunks, ordered by file id then chunk index.</summary>
    IAsyncEnumerable<IndexedChunkRow> ReadIndexedChunksAsync(string storeId, CancellationToken cancellationToken);

    /// <summary>How many chunks the store has (with or without a load-time form).</summary>
    Task<long> CountChunksAsync(string storeId, CancellationToken cancellationToken);

    /// <summary>Chunks written without a load-time form (by versions before it existed), ordered by file id then chunk index.</summary>
    IAsyncEnumerable<RawChunkRow> ReadUnindexedChunksAsync(string storeId, CancellationToken cancellationToken);

    /// <summary>Writes a file's chunks in one transaction, replacing those it had, and records the store's model.</summary>
    Task ReplaceFileAsync(FileChunks file, CancellationToken cancellationToken);

    Task RemoveFileAsync(string storeId, string fileId, CancellationToken cancellationToken);

    Task DeleteStoreAsync(string storeId, CancellationToken cancellationToken);

    Task UpdateAttributesAsync(string storeId, string fileId, string attributesJson, CancellationToken cancellationToken);

    /// <summary>The text of the given chunks of one store, keyed by (file id, chunk index); missing chunks are left out.</summary>
    Task<IReadOnlyDictionary<(string FileId, int ChunkIndex), string>> GetTextsAsync(
        string storeId, IReadOnlyCollection<(string FileId, int ChunkIndex)> keys, CancellationToken cancellationToken);
}
