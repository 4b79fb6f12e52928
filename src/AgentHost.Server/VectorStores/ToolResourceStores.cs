using AgentHost.Core.Domain;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary>The vector stores created while one request is handled; deleted again if the request fails before <see cref="Commit"/>.</summary>
internal sealed class ToolResourceStores(VectorStoreService service) : IAsyncDisposable
{
    private readonly List<string> created = [];
    private bool committed;

    /// <summary>The resources to store: the requested ones, with the helper's new store (if any) created and its id in <c>vector_store_ids</c>.</summary>
    public async Task<ToolResources?> ResolveAsync(RequestedToolResources? requested, CancellationToken cancellationToken)
    {
        if (requested?.NewVectorStore is not { } newStore)
        {
            return requested?.Resources;
        }

        var id = await service.CreateAsync(newStore, cancellationToken);
        created.Add(id);
        return requested.Resources with { FileSearch = new FileSearchResources { VectorStoreIds = [id] } };
    }

    /// <summary>The request succeeded: keep the stores and start ingesting their files.</summary>
    public void Commit()
    {
        committed = true;
        if (created.Count > 0)
        {
            service.Queued();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (committed)
        {
            return;
        }

        foreach (var id in created)
        {
            await service.DeleteAsync(id, CancellationToken.None);
        }
    }
}
