using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;

namespace AgentHost.Server.VectorStores;

/// <summary>Creates and deletes vector stores for the endpoints that are not <c>/v1/vector_stores</c> itself.</summary>
internal sealed class VectorStoreService(IVectorStoreRepository stores, IFileStore files, IVectorStoreIndex index, IngestionSignal signal, TimeProvider time)
{
    /// <summary>A scope for the stores one request creates: unless committed, disposing it deletes them again.</summary>
    public ToolResourceStores BeginRequest() => new(this);

    /// <summary>Creates the store the <c>vector_stores</c> helper asks for and queues its files; unknown files are refused first.</summary>
    public async Task<string> CreateAsync(NewToolVectorStore request, CancellationToken cancellationToken)
    {
        await VectorStoreEndpoints.RequireFilesAsync(files, request.FileIds, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var store = new VectorStore
        {
            Id = IdGenerator.VectorStore(),
            CreatedAt = now,
            LastActiveAt = now,
            Metadata = request.Metadata,
            EmbeddingModel = index.EmbeddingModelForNewStore(null),
        };
        await stores.CreateAsync(store, [.. request.FileIds.Select(id => new NewVectorStoreFile(id, request.Chunking, VectorStoreEndpoints.NoAttributes))], cancellationToken);
        return store.Id;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!await stores.DeleteAsync(id, cancellationToken))
        {
            return false;
        }

        await index.DeleteStoreAsync(id, CancellationToken.None);
        return true;
    }

    /// <summary>Tells the ingestion worker new files are queued.</summary>
    public void Queued() => signal.Queued();
}
