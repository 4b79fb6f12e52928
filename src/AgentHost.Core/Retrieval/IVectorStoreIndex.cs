namespace AgentHost.Core.Retrieval;

/// <summary>
/// The chunks of a vector store's files and the hybrid (BM25 + dense) search over them. Ingestion hands it a
/// file's extracted text; the <c>file_search</c> tool and <c>/v1/vector_stores/{id}/search</c> query it.
/// </summary>
public interface IVectorStoreIndex
{
    /// <summary>
    /// The embedding model a new vector store records: <paramref name="requested"/> when it names a known model, the
    /// configured default when it is null. Null means all-MiniLM-L6-v2, the model of every store that records none
    /// (so such stores keep the original's shape). An unknown name is an <c>invalid_request_error</c> on <c>embedding_model</c>.
    /// </summary>
    string? EmbeddingModelForNewStore(string? requested);

    /// <summary>Chunks and embeds a file's text and stores the chunks, replacing any the file had in that store.</summary>
    Task<IndexedFile> IndexFileAsync(IndexFileRequest request, CancellationToken cancellationToken);

    /// <summary>Replaces the attributes that search filters see for a file's chunks.</summary>
    Task UpdateAttributesAsync(string vectorStoreId, string fileId, IReadOnlyDictionary<string, object?> attributes, CancellationToken cancellationToken);

    Task RemoveFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken);

    Task DeleteStoreAsync(string vectorStoreId, CancellationToken cancellationToken);

    /// <summary>
    /// Drops this process's in-memory copy of the store, after the writes to it in flight here, because another node
    /// changed it; the next use loads it again.
    /// </summary>
    void Forget(string vectorStoreId);

    /// <summary>Drops every in-memory copy (changes by other nodes may have been missed).</summary>
    void ForgetAll();

    /// <summary>Best chunks first, across all queries and stores of the request.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);
}
