using System.Text.Json;
using AgentHost.Core.Storage;

namespace AgentHost.Core.VectorStores;

/// <summary>Vector stores, their files and batches. File counts, usage and statuses are computed from the files on read.</summary>
public interface IVectorStoreRepository
{
    /// <summary>Creates the store and queues its first files for ingestion, in one transaction.</summary>
    Task CreateAsync(VectorStore store, IReadOnlyList<NewVectorStoreFile> files, CancellationToken cancellationToken);

    Task<VectorStore?> GetAsync(string id, CancellationToken cancellationToken);

    Task<Page<VectorStore>> ListAsync(ListQuery query, CancellationToken cancellationToken);

    /// <summary>Saves name, description, expiry policy, metadata and last activity.</summary>
    Task UpdateAsync(VectorStore store, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds (or re-adds, restarting ingestion) files, optionally as a batch; returns them as stored.</summary>
    Task<IReadOnlyList<VectorStoreFile>> AddFilesAsync(string vectorStoreId, IReadOnlyList<NewVectorStoreFile> files, VectorStoreFileBatch? batch, CancellationToken cancellationToken);

    Task<VectorStoreFile?> GetFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken);

    Task<Page<VectorStoreFile>> ListFilesAsync(string vectorStoreId, string? batchId, string? status, ListQuery query, CancellationToken cancellationToken);

    Task<VectorStoreFile?> UpdateAttributesAsync(string vectorStoreId, string fileId, IReadOnlyDictionary<string, JsonElement> attributes, CancellationToken cancellationToken);

    Task<bool> RemoveFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken);

    Task<VectorStoreFileBatch?> GetBatchAsync(string vectorStoreId, string batchId, CancellationToken cancellationToken);

    /// <summary>Marks the batch cancelled and its files not yet ingested <c>cancelled</c>.</summary>
    Task<VectorStoreFileBatch?> CancelBatchAsync(string vectorStoreId, string batchId, CancellationToken cancellationToken);

    /// <summary>Files still <c>in_progress</c>, oldest first, skipping <paramref name="exclude"/> (store id, file id).</summary>
    Task<IReadOnlyList<PendingIngestion>> PendingAsync(int limit, IReadOnlySet<(string, string)> exclude, CancellationToken cancellationToken);

    /// <summary>Records how a file's ingestion ended, only if it is still <c>in_progress</c>; false when it was removed or cancelled meanwhile.</summary>
    Task<bool> FinishAsync(string vectorStoreId, string fileId, string status, long usageBytes, ChunkingStrategyObject? chunking, VectorStoreFileError? error, CancellationToken cancellationToken);

    /// <summary>Vector store ids that hold the file.</summary>
    Task<IReadOnlyList<string>> StoresOfFileAsync(string fileId, CancellationToken cancellationToken);
}
