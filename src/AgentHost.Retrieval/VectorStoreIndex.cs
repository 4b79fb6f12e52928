using System.Collections.Concurrent;
using System.Text;
using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Chunking;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Filters;
using AgentHost.Retrieval.Index;
using AgentHost.Retrieval.Persistence;
using AgentHost.Retrieval.Search;
using AgentHost.Retrieval.Text;
using Microsoft.Extensions.Options;

namespace AgentHost.Retrieval;

/// <summary>
/// <see cref="IVectorStoreIndex"/> over SQLite-persisted chunks with one warm in-memory <see cref="StoreIndex"/> per
/// store, loaded on first use. Embedding runs outside any lock; a store's mutations are serialised so the database
/// and the memory copy apply them in the same order.
/// </summary>
internal sealed class VectorStoreIndex(ChunkRepository repository, EmbeddingModels models, IOptions<RetrievalOptions> options, LlmReranker? reranker = null)
    : IVectorStoreIndex
{
    private readonly ConcurrentDictionary<string, Lazy<Task<StoreIndex?>>> stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> writeLocks = new(StringComparer.Ordinal);

    public string? EmbeddingModelForNewStore(string? requested)
    {
        var name = (requested is null ? models.Default : models.Resolve(requested)).Name;
        return name == models.Resolve(null).Name ? null : name;
    }

    public async Task<IndexedFile> IndexFileAsync(IndexFileRequest request, CancellationToken cancellationToken)
    {
        var model = models.Resolve(request.EmbeddingModel);
        var chunking = ChunkingPolicy.Resolve(request.Chunking, model.IsLocal);
        var attributes = AttributeValues.Normalize(request.Attributes);
        var pieces = TextChunker.Chunk(request.Text ?? string.Empty, chunking.MaxChunkSizeTokens, chunking.ChunkOverlapTokens);
        var vectors = await models.EmbedAsync(model, [.. pieces.Select(p => p.Text)], cancellationToken);
        var dimensions = vectors.Length > 0 ? vectors[0].Length : 0;
        var chunks = pieces.Select((p, i) => new IndexedChunk(p.Index, p.Text, p.TokenCount, vectors[i])).ToArray();

        var gate = writeLocks.GetOrAdd(request.VectorStoreId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var store = await GetStoreAsync(request.VectorStoreId, cancellationToken);
            if (store is null || store.ModelName != model.Name || !store.TryAdoptDimensions(dimensions))
            {
                if (store is not null && store.FileCount - (store.HasFile(request.FileId) ? 1 : 0) > 0)
                {
                    throw ApiException.Invalid(
                        $"Vector store '{request.VectorStoreId}' holds {store.Dimensions}-dimensional embeddings from '{store.ModelName}'; " +
                        $"a file cannot be added with '{model.Name}' ({dimensions} dimensions).", "embedding_model");
                }

                store = new StoreIndex(model.Name, dimensions);
            }

            await repository.ReplaceFileAsync(request.VectorStoreId, store.ModelName, store.Dimensions, request.FileId, request.Filename,
                attributes, chunks, cancellationToken);
            store.AddFile(request.FileId, request.Filename, attributes, chunks);
            stores[request.VectorStoreId] = new Lazy<Task<StoreIndex?>>(Task.FromResult<StoreIndex?>(store));
        }
        finally
        {
            gate.Release();
        }

        var usage = chunks.Sum(c => (long)Encoding.UTF8.GetByteCount(c.Text) + (c.Vector.Length * sizeof(float)));
        return new IndexedFile(chunks.Length, usage, chunking);
    }

    public async Task UpdateAttributesAsync(string vectorStoreId, string fileId, IReadOnlyDictionary<string, object?> attributes, CancellationToken cancellationToken)
    {
        var normalized = AttributeValues.Normalize(attributes);
        await MutateAsync(vectorStoreId, async store =>
        {
            await repository.UpdateAttributesAsync(vectorStoreId, fileId, normalized, cancellationToken);
            store?.UpdateAttributes(fileId, normalized);
        }, cancellationToken);
    }

    public Task RemoveFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken) =>
        MutateAsync(vectorStoreId, async store =>
        {
            await repository.RemoveFileAsync(vectorStoreId, fileId, cancellationToken);
            store?.RemoveFile(fileId);
        }, cancellationToken);

    public Task DeleteStoreAsync(string vectorStoreId, CancellationToken cancellationToken) =>
        MutateAsync(vectorStoreId, async _ =>
        {
            await repository.DeleteStoreAsync(vectorStoreId, cancellationToken);
            stores.TryRemove(vectorStoreId, out Lazy<Task<StoreIndex?>>? _);
        }, cancellationToken);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        SearchAsync(request, null, cancellationToken);

    /// <param name="queryEmbeddings">Query vectors already computed, by model name (benchmarks time search without embedding).</param>
    internal async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, Dictionary<string, float[][]>? queryEmbeddings, CancellationToken cancellationToken)
    {
        var plan = SearchPlan.From(request, options.Value);
        if (plan.LlmRerank)
        {
            (reranker ?? throw ApiException.Invalid("'ranking_options.ranker' 'llm' is not available in this host.", "ranking_options.ranker")).EnsureConfigured();
        }

        var filter = FilterParser.Parse(request.Filter);
        var found = new List<(string StoreId, Candidate Candidate)>();
        queryEmbeddings ??= new Dictionary<string, float[][]>(StringComparer.Ordinal);
        var queryTerms = plan.Queries.Select(TermAnalyzer.Terms).ToArray();
        foreach (var storeId in request.VectorStoreIds.Distinct(StringComparer.Ordinal))
        {
            if (await GetStoreAsync(storeId, cancellationToken) is not { } store || store.LiveChunks == 0)
            {
                continue;
            }

            if (!queryEmbeddings.TryGetValue(store.ModelName, out var embedded))
            {
                embedded = plan.Weights.Embedding > 0
                    ? await models.EmbedQueriesAsync(models.Resolve(store.ModelName), plan.Queries, cancellationToken)
                    : [.. plan.Queries.Select(_ => Array.Empty<float>())];
                queryEmbeddings[store.ModelName] = embedded;
            }

            // Several queries (rewrites) fuse by keeping each chunk's best score across them.
            var best = new Dictionary<(string, int), Candidate>();
            for (var q = 0; q < plan.Queries.Count; q++)
            {
                if (embedded[q].Length != 0 && embedded[q].Length != store.Dimensions)
                {
                    throw new InvalidOperationException($"Embedding model '{store.ModelName}' returned {embedded[q].Length} dimensions; the store holds {store.Dimensions}.");
                }

                foreach (var candidate in store.Search(embedded[q], queryTerms[q], plan.Weights, plan.Depth, filter, plan.SecondStage))
                {
                    var key = (candidate.File.FileId, candidate.ChunkIndex);
                    if (!best.TryGetValue(key, out var seen) || seen.Score < candidate.Score)
                    {
                        best[key] = candidate;
                    }
                }
            }

            found.AddRange(best.Values.Select(c => (storeId, c)));
        }

        if (plan.LlmRerank)
        {
            // The model grades the engine's best candidates; the threshold then applies to its grades.
            var candidates = found.OrderByDescending(f => f.Candidate.Score).Take(Math.Max(plan.MaxNumResults, reranker!.Candidates)).ToList();
            var graded = await reranker.RerankAsync(string.Join(" / ", plan.Queries), await MaterializeAsync(candidates, cancellationToken), request.Scope, cancellationToken);
            return [.. graded.Where(h => h.Score >= plan.ScoreThreshold).Take(plan.MaxNumResults)];
        }

        var top = found.Where(f => f.Candidate.Score >= plan.ScoreThreshold)
            .OrderByDescending(f => f.Candidate.Score)
            .Take(plan.MaxNumResults)
            .ToList();
        return await MaterializeAsync(top, cancellationToken);
    }

    private async Task<IReadOnlyList<SearchHit>> MaterializeAsync(List<(string StoreId, Candidate Candidate)> top, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<(string, string, int), string>();
        foreach (var group in top.GroupBy(t => t.StoreId))
        {
            var keys = group.Select(g => (g.Candidate.File.FileId, g.Candidate.ChunkIndex)).ToArray();
            foreach (var (key, text) in await repository.GetTextsAsync(group.Key, keys, cancellationToken))
            {
                texts[(group.Key, key.FileId, key.ChunkIndex)] = text;
            }
        }

        return [.. top
            .Where(t => texts.ContainsKey((t.StoreId, t.Candidate.File.FileId, t.Candidate.ChunkIndex)))
            .Select(t => new SearchHit(t.StoreId, t.Candidate.File.FileId, t.Candidate.File.Filename, t.Candidate.ChunkIndex,
                t.Candidate.Score, texts[(t.StoreId, t.Candidate.File.FileId, t.Candidate.ChunkIndex)], t.Candidate.File.Attributes))];
    }

    public void Forget(string vectorStoreId) => _ = ForgetAsync(vectorStoreId);

    public void ForgetAll()
    {
        foreach (var storeId in stores.Keys)
        {
            Forget(storeId);
        }
    }

    /// <summary>Waits for the store's writes in flight here, which patch the copy, so the copy dropped is the latest.</summary>
    private async Task ForgetAsync(string storeId)
    {
        var gate = writeLocks.GetOrAdd(storeId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            stores.TryRemove(storeId, out _);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task MutateAsync(string storeId, Func<StoreIndex?, Task> mutation, CancellationToken cancellationToken)
    {
        var gate = writeLocks.GetOrAdd(storeId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await mutation(await GetStoreAsync(storeId, cancellationToken));
        }
        finally
        {
            gate.Release();
        }
    }

    internal async Task<StoreIndex?> GetStoreAsync(string storeId, CancellationToken cancellationToken)
    {
        var lazy = stores.GetOrAdd(storeId, id => new Lazy<Task<StoreIndex?>>(() => LoadAsync(id)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            stores.TryRemove(new KeyValuePair<string, Lazy<Task<StoreIndex?>>>(storeId, lazy));
            throw;
        }
    }

    /// <summary>Loads without the caller's token: the load is shared by every waiter and kept.</summary>
    private Task<StoreIndex?> LoadAsync(string storeId) => repository.LoadAsync(storeId, CancellationToken.None);
}
