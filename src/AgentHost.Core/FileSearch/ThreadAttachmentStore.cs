using AgentHost.Core.Domain;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;

namespace AgentHost.Core.FileSearch;

/// <summary>
/// Files attached to a thread's messages for <c>file_search</c> go into the thread's vector store, as the original
/// did: when the thread has none, one is created (named for the thread, metadata <c>agenthost_thread_id</c>, expiring
/// after 7 days without use) and recorded in the thread's <c>tool_resources</c>. Done when the run first searches.
/// </summary>
public sealed class ThreadAttachmentStore(IAgentStore agents, IVectorStoreRepository stores, IngestionSignal signal, FileSearchOptions options, TimeProvider time)
{
    /// <summary>The thread's vector store ids after adding any attached files not yet in its store.</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(string threadId, CancellationToken cancellationToken)
    {
        var thread = await agents.GetThreadAsync(threadId, cancellationToken);
        if (thread is null)
        {
            return [];
        }

        var storeIds = thread.ToolResources.FileSearch?.VectorStoreIds ?? [];
        var attached = await agents.GetThreadAttachmentsAsync(threadId, ToolTypes.FileSearch, cancellationToken);
        if (attached.Count == 0)
        {
            return storeIds;
        }

        var storeId = storeIds.FirstOrDefault();
        if (storeId is null || await stores.GetAsync(storeId, cancellationToken) is null)
        {
            storeId = await CreateStoreAsync(thread, cancellationToken);
            storeIds = [storeId];
        }

        var missing = new List<NewVectorStoreFile>();
        foreach (var fileId in attached)
        {
            if (await stores.GetFileAsync(storeId, fileId, cancellationToken) is null)
            {
                missing.Add(new NewVectorStoreFile(fileId, ChunkingStrategy.Auto, new Dictionary<string, System.Text.Json.JsonElement>()));
            }
        }

        if (missing.Count > 0)
        {
            await stores.AddFilesAsync(storeId, missing, null, cancellationToken);
            signal.Queued();
        }

        return storeIds;
    }

    private async Task<string> CreateStoreAsync(AssistantThread thread, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var policy = new ExpiresAfter("last_active_at", options.ThreadStoreExpiryDays);
        var store = new VectorStore
        {
            Id = IdGenerator.VectorStore(),
            CreatedAt = now,
            Name = $"Files attached to {thread.Id}",
            ExpiresAfter = policy,
            ExpiresAt = VectorStore.ExpiryOf(policy, now),
            LastActiveAt = now,
            Metadata = new Dictionary<string, string> { ["agenthost_thread_id"] = thread.Id },
        };
        await stores.CreateAsync(store, [], cancellationToken);
        await agents.UpdateThreadAsync(thread with
        {
            ToolResources = thread.ToolResources with { FileSearch = new FileSearchResources { VectorStoreIds = [store.Id] } },
        }, cancellationToken);
        return store.Id;
    }
}
