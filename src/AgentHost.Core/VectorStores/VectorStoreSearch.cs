using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;

namespace AgentHost.Core.VectorStores;

/// <summary>
/// Searches on behalf of the API and the <c>file_search</c> tool: checks the stores exist and have not expired,
/// counts the search as activity (which moves <c>expires_at</c>), and asks the index.
/// </summary>
public sealed class VectorStoreSearch(IVectorStoreRepository stores, IVectorStoreIndex index, TimeProvider time)
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var id in request.VectorStoreIds)
        {
            var store = await stores.GetAsync(id, cancellationToken) ?? throw ApiException.NotFound("vector store", id, "vector_store_id");
            if (store.Status == VectorStoreStatus.Expired)
            {
                throw ApiException.Invalid($"Vector store '{id}' has expired and can no longer be searched.", "vector_store_id", "vector_store_expired");
            }

            await stores.UpdateAsync(store with { LastActiveAt = now, ExpiresAt = VectorStore.ExpiryOf(store.ExpiresAfter, now) }, cancellationToken);
        }

        return request.VectorStoreIds.Count == 0 ? [] : await index.SearchAsync(request, cancellationToken);
    }
}
