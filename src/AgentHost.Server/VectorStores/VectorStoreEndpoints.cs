using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary><c>/v1/vector_stores</c>: create, list, retrieve, modify, delete. Files and search are in their own classes.</summary>
internal static class VectorStoreEndpoints
{
    public static void MapVectorStoreEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/vector_stores");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{vectorStoreId}", GetAsync);
        group.MapPost("/{vectorStoreId}", ModifyAsync);
        group.MapDelete("/{vectorStoreId}", DeleteAsync);
        group.MapVectorStoreFileEndpoints();
        group.MapVectorStoreSearchEndpoint();
    }

    public static async Task<VectorStore> FindAsync(IVectorStoreRepository stores, string id, CancellationToken cancellationToken) =>
        await stores.GetAsync(id, cancellationToken) ?? throw ApiException.NotFound("vector store", id, "vector_store_id");

    /// <summary>Every id must name an existing file; the first that does not is refused.</summary>
    public static async Task RequireFilesAsync(IFileStore files, IEnumerable<string> fileIds, CancellationToken cancellationToken)
    {
        foreach (var id in fileIds)
        {
            if (await files.GetAsync(id, cancellationToken) is null)
            {
                throw ApiException.NotFound("file", id, "file_id");
            }
        }
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, IVectorStoreRepository stores, IFileStore files, IngestionSignal signal,
        IVectorStoreIndex index, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken))
            .Allow("file_ids", "name", "description", "expires_after", "chunking_strategy", "metadata", "embedding_model");
        var fileIds = request.FileIds("file_ids", 500);
        var chunking = request.Chunking();
        var embeddingModel = index.EmbeddingModelForNewStore(request.String("embedding_model"));

        await RequireFilesAsync(files, fileIds, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var expiresAfter = request.ExpiresAfter();
        var store = new VectorStore
        {
            Id = IdGenerator.VectorStore(),
            CreatedAt = now,
            Name = request.String("name", 256),
            Description = request.String("description", 512),
            ExpiresAfter = expiresAfter,
            ExpiresAt = VectorStore.ExpiryOf(expiresAfter, now),
            LastActiveAt = now,
            Metadata = request.Metadata() ?? new Dictionary<string, string>(),
            EmbeddingModel = embeddingModel,
        };
        await stores.CreateAsync(store, [.. fileIds.Distinct(StringComparer.Ordinal).Select(id => new NewVectorStoreFile(id, chunking, NoAttributes))], cancellationToken);
        signal.Queued();
        return Json(await FindAsync(stores, store.Id, cancellationToken));
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IVectorStoreRepository stores, CancellationToken cancellationToken)
    {
        var page = await stores.ListAsync(ListQueryReader.Read(http), cancellationToken);
        return TypedResults.Json(ListResponse<VectorStore>.From(page, s => s.Id), ServerJsonContext.Default.ListResponseVectorStore);
    }

    private static async Task<IResult> GetAsync(string vectorStoreId, IVectorStoreRepository stores, CancellationToken cancellationToken) =>
        Json(await FindAsync(stores, vectorStoreId, cancellationToken));

    private static async Task<IResult> ModifyAsync(string vectorStoreId, HttpRequest http, IVectorStoreRepository stores, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("name", "expires_after", "metadata");
        var store = await FindAsync(stores, vectorStoreId, cancellationToken);
        var expiresAfter = request.Has("expires_after") ? request.ExpiresAfter() : store.ExpiresAfter;
        var lastActive = store.LastActiveAt ?? time.GetUtcNow().ToUnixTimeSeconds();
        store = store with
        {
            Name = request.Has("name") ? request.String("name", 256) : store.Name,
            ExpiresAfter = expiresAfter,
            ExpiresAt = VectorStore.ExpiryOf(expiresAfter, lastActive),
            Metadata = request.Metadata() ?? store.Metadata,
        };
        await stores.UpdateAsync(store, cancellationToken);
        return Json(await FindAsync(stores, vectorStoreId, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string vectorStoreId, IVectorStoreRepository stores, IVectorStoreIndex index, CancellationToken cancellationToken)
    {
        if (!await stores.DeleteAsync(vectorStoreId, cancellationToken))
        {
            throw ApiException.NotFound("vector store", vectorStoreId, "vector_store_id");
        }

        await index.DeleteStoreAsync(vectorStoreId, CancellationToken.None);
        return TypedResults.Json(new DeletionStatus(vectorStoreId, "vector_store.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }

    public static readonly IReadOnlyDictionary<string, System.Text.Json.JsonElement> NoAttributes = new Dictionary<string, System.Text.Json.JsonElement>();

    private static IResult Json(VectorStore store) => TypedResults.Json(store, FileJsonContext.Default.VectorStore);
}
