using System.Runtime.InteropServices;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Index;

namespace AgentHost.Retrieval.Persistence;

/// <summary>
/// Turns the in-memory index to and from what <see cref="IChunkStore"/> keeps: a chunk's text, token count and
/// float32 embedding, and beside it the int8 codes and BM25 term counts the index is rebuilt from after a start.
/// </summary>
internal sealed class ChunkRepository(IChunkStore chunks)
{
    /// <summary>
    /// Builds a store's in-memory index from the load-time form of its chunks, in one sequential read. Chunks written
    /// before that form existed are read and analysed as text.
    /// </summary>
    public async Task<StoreIndex?> LoadAsync(string storeId, CancellationToken cancellationToken)
    {
        if (await chunks.GetModelAsync(storeId, cancellationToken) is not { } model)
        {
            return null;
        }

        var store = new StoreIndex(model.EmbeddingModel, model.Dimensions);
        var files = new Dictionary<string, FileEntry>(StringComparer.Ordinal);
        await foreach (var row in chunks.ReadFilesAsync(storeId, cancellationToken))
        {
            files[row.FileId] = store.BeginStoredFile(row.FileId, row.Filename, AttributeJson.Read(row.AttributesJson));
        }

        var indexed = 0L;
        FileEntry? file = null;
        await foreach (var row in chunks.ReadIndexedChunksAsync(storeId, cancellationToken))
        {
            if (file?.FileId != row.FileId && !files.TryGetValue(row.FileId, out file))
            {
                continue;
            }

            store.AppendStored(file, row.ChunkIndex, row.TermTotal, row.Scale, MemoryMarshal.Cast<byte, sbyte>(row.Codes.AsSpan()), row.Terms);
            indexed++;
        }

        if (await chunks.CountChunksAsync(storeId, cancellationToken) == indexed)
        {
            return store;
        }

        await foreach (var row in chunks.ReadUnindexedChunksAsync(storeId, cancellationToken))
        {
            if (files.TryGetValue(row.FileId, out var owner))
            {
                var vector = MemoryMarshal.Cast<byte, float>(row.Embedding.AsSpan()).ToArray();
                store.AppendAnalysed(owner, new IndexedChunk(row.ChunkIndex, row.Text, row.TokenCount, vector));
            }
        }

        return store;
    }

    public Task<IReadOnlyList<string>> StoreIdsAsync(CancellationToken cancellationToken) => chunks.StoreIdsAsync(cancellationToken);

    /// <summary>Writes a file's chunks in one transaction, replacing those it had; records the store's model.</summary>
    public Task ReplaceFileAsync(string storeId, string model, int dimensions, string fileId, string filename,
        IReadOnlyDictionary<string, object?> attributes, IReadOnlyList<IndexedChunk> indexedChunks, CancellationToken cancellationToken)
    {
        // The load-time form of each chunk, computed before the store takes its writer.
        var rows = indexedChunks.Select(chunk =>
        {
            var (total, counts) = StoreIndex.Analyse(chunk.Text);
            var codes = new sbyte[chunk.Vector.Length];
            var scale = QuantizedVectors.Quantize(chunk.Vector, codes);
            return new ChunkWrite(chunk.ChunkIndex, chunk.Text, chunk.TokenCount, MemoryMarshal.AsBytes(chunk.Vector.AsSpan()).ToArray(),
                total, scale, MemoryMarshal.AsBytes(codes.AsSpan()).ToArray(), ChunkTerms.Encode(counts));
        }).ToArray();
        return chunks.ReplaceFileAsync(new FileChunks(storeId, model, dimensions, fileId, filename, AttributeJson.Write(attributes), rows), cancellationToken);
    }

    public Task RemoveFileAsync(string storeId, string fileId, CancellationToken cancellationToken) => chunks.RemoveFileAsync(storeId, fileId, cancellationToken);

    public Task DeleteStoreAsync(string storeId, CancellationToken cancellationToken) => chunks.DeleteStoreAsync(storeId, cancellationToken);

    public Task UpdateAttributesAsync(string storeId, string fileId, IReadOnlyDictionary<string, object?> attributes, CancellationToken cancellationToken) =>
        chunks.UpdateAttributesAsync(storeId, fileId, AttributeJson.Write(attributes), cancellationToken);

    /// <summary>The text of the given chunks of one store, keyed by (file id, chunk index).</summary>
    public Task<IReadOnlyDictionary<(string FileId, int ChunkIndex), string>> GetTextsAsync(
        string storeId, IReadOnlyCollection<(string FileId, int ChunkIndex)> keys, CancellationToken cancellationToken) =>
        chunks.GetTextsAsync(storeId, keys, cancellationToken);
}
