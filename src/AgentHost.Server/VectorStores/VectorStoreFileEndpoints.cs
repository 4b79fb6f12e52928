using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary><c>/v1/vector_stores/{id}/files</c> and <c>/file_batches</c>: add, list, retrieve, update attributes, remove, content; batches.</summary>
internal static class VectorStoreFileEndpoints
{
    private static readonly string[] Statuses = [VectorStoreFileStatus.InProgress, VectorStoreFileStatus.Completed, VectorStoreFileStatus.Failed, VectorStoreFileStatus.Cancelled];

    public static void MapVectorStoreFileEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/{vectorStoreId}/files", AddAsync);
        group.MapGet("/{vectorStoreId}/files", ListAsync);
        group.MapGet("/{vectorStoreId}/files/{fileId}", GetAsync);
        group.MapPost("/{vectorStoreId}/files/{fileId}", UpdateAttributesAsync);
        group.MapDelete("/{vectorStoreId}/files/{fileId}", RemoveAsync);
        group.MapGet("/{vectorStoreId}/files/{fileId}/content", ContentAsync);
        group.MapPost("/{vectorStoreId}/file_batches", CreateBatchAsync);
        group.MapGet("/{vectorStoreId}/file_batches/{batchId}", GetBatchAsync);
        group.MapPost("/{vectorStoreId}/file_batches/{batchId}/cancel", CancelBatchAsync);
        group.MapGet("/{vectorStoreId}/file_batches/{batchId}/files", ListBatchFilesAsync);
    }

    private static async Task<IResult> AddAsync(string vectorStoreId, HttpRequest http, IVectorStoreRepository stores, IFileStore files, IngestionSignal signal, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("file_id", "chunking_strategy", "attributes");
        var fileId = request.RequiredString("file_id");
        var file = new NewVectorStoreFile(fileId, request.Chunking(), request.Attributes() ?? VectorStoreEndpoints.NoAttributes);
        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        await VectorStoreEndpoints.RequireFilesAsync(files, [fileId], cancellationToken);
        var added = await stores.AddFilesAsync(vectorStoreId, [file], null, cancellationToken);
        signal.Queued();
        return Json(added[0]);
    }

    private static async Task<IResult> ListAsync(string vectorStoreId, HttpRequest http, IVectorStoreRepository stores, CancellationToken cancellationToken)
    {
        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        return await PageAsync(stores, vectorStoreId, null, http, cancellationToken);
    }

    private static async Task<IResult> GetAsync(string vectorStoreId, string fileId, IVectorStoreRepository stores, CancellationToken cancellationToken) =>
        Json(await FindAsync(stores, vectorStoreId, fileId, cancellationToken));

    private static async Task<IResult> UpdateAttributesAsync(string vectorStoreId, string fileId, HttpRequest http, IVectorStoreRepository stores,
        IVectorStoreIndex index, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("attributes");
        var attributes = request.Has("attributes")
            ? request.Attributes() ?? VectorStoreEndpoints.NoAttributes
            : throw ApiException.Invalid("Missing required parameter: 'attributes'.", "attributes", "missing_required_parameter");
        await FindAsync(stores, vectorStoreId, fileId, cancellationToken);
        var updated = await stores.UpdateAttributesAsync(vectorStoreId, fileId, attributes, cancellationToken) ?? throw NotFound(vectorStoreId, fileId);
        if (updated.Status == VectorStoreFileStatus.Completed)
        {
            await index.UpdateAttributesAsync(vectorStoreId, fileId, IngestionWorker.ToAttributes(attributes), cancellationToken);
        }

        return Json(updated);
    }

    private static async Task<IResult> RemoveAsync(string vectorStoreId, string fileId, IVectorStoreRepository stores, IVectorStoreIndex index, CancellationToken cancellationToken)
    {
        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        if (!await stores.RemoveFileAsync(vectorStoreId, fileId, cancellationToken))
        {
            throw NotFound(vectorStoreId, fileId);
        }

        await index.RemoveFileAsync(vectorStoreId, fileId, CancellationToken.None);
        return TypedResults.Json(new DeletionStatus(fileId, "vector_store.file.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }

    /// <summary>The file's parsed text, as the index was given it.</summary>
    private static async Task<IResult> ContentAsync(string vectorStoreId, string fileId, IVectorStoreRepository stores, IFileStore files,
        ITextExtractor extractor, CancellationToken cancellationToken)
    {
        await FindAsync(stores, vectorStoreId, fileId, cancellationToken);
        var file = await files.GetAsync(fileId, cancellationToken) ?? throw Files.FileEndpoints.NotFound(fileId);
        await using var content = await files.OpenReadAsync(fileId, cancellationToken) ?? throw Files.FileEndpoints.NotFound(fileId);
        string text;
        try
        {
            text = await extractor.ExtractAsync(file.Filename, content, cancellationToken);
        }
        catch (TextExtractionException rejected)
        {
            throw ApiException.Invalid(rejected.Message, "file_id", rejected.Code);
        }

        return TypedResults.Json(new VectorStoreFileContent([new SearchResultContent("text", text)]), ServerJsonContext.Default.VectorStoreFileContent);
    }

    private static async Task<IResult> CreateBatchAsync(string vectorStoreId, HttpRequest http, IVectorStoreRepository stores, IFileStore files,
        IngestionSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("file_ids", "files", "chunking_strategy", "attributes");
        var chunking = request.Chunking();
        var attributes = request.Attributes() ?? VectorStoreEndpoints.NoAttributes;
        var entries = new List<NewVectorStoreFile>();
        if (request.HasNonNull("file_ids") == request.HasNonNull("files"))
        {
            throw ApiException.Invalid("Send exactly one of 'file_ids' and 'files'.", "file_ids", "invalid_value");
        }

        entries.AddRange(request.FileIds("file_ids", 2000).Select(id => new NewVectorStoreFile(id, chunking, attributes)));
        var index = 0;
        foreach (var element in request.Array("files", 2000) ?? [])
        {
            var item = request.Item(element, "files", index++).Allow("file_id", "chunking_strategy", "attributes");
            entries.Add(new NewVectorStoreFile(item.RequiredString("file_id"), item.Chunking(), item.Attributes() ?? VectorStoreEndpoints.NoAttributes));
        }

        if (entries.Count == 0)
        {
            throw ApiException.Invalid("Invalid 'file_ids': empty array. Expected an array with minimum length 1, but got an empty array instead.", "file_ids", "empty_array");
        }

        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        await VectorStoreEndpoints.RequireFilesAsync(files, entries.Select(e => e.FileId), cancellationToken);
        var batch = new VectorStoreFileBatch { Id = IdGenerator.FileBatch(), CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(), VectorStoreId = vectorStoreId };
        await stores.AddFilesAsync(vectorStoreId, [.. entries.DistinctBy(e => e.FileId, StringComparer.Ordinal)], batch, cancellationToken);
        signal.Queued();
        return Json(await FindBatchAsync(stores, vectorStoreId, batch.Id, cancellationToken));
    }

    private static async Task<IResult> GetBatchAsync(string vectorStoreId, string batchId, IVectorStoreRepository stores, CancellationToken cancellationToken) =>
        Json(await FindBatchAsync(stores, vectorStoreId, batchId, cancellationToken));

    private static async Task<IResult> CancelBatchAsync(string vectorStoreId, string batchId, IVectorStoreRepository stores, CancellationToken cancellationToken)
    {
        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        return Json(await stores.CancelBatchAsync(vectorStoreId, batchId, cancellationToken) ?? throw BatchNotFound(vectorStoreId, batchId));
    }

    private static async Task<IResult> ListBatchFilesAsync(string vectorStoreId, string batchId, HttpRequest http, IVectorStoreRepository stores, CancellationToken cancellationToken)
    {
        await FindBatchAsync(stores, vectorStoreId, batchId, cancellationToken);
        return await PageAsync(stores, vectorStoreId, batchId, http, cancellationToken);
    }

    private static async Task<IResult> PageAsync(IVectorStoreRepository stores, string vectorStoreId, string? batchId, HttpRequest http, CancellationToken cancellationToken)
    {
        var filter = http.Query["filter"].ToString();
        if (filter.Length > 0 && !Statuses.Contains(filter))
        {
            throw ApiException.Invalid($"Invalid value for 'filter': '{filter}' is not one of ['in_progress', 'completed', 'failed', 'cancelled'].", "filter", "invalid_value");
        }

        var page = await stores.ListFilesAsync(vectorStoreId, batchId, filter.Length == 0 ? null : filter, ListQueryReader.Read(http), cancellationToken);
        return TypedResults.Json(ListResponse<VectorStoreFile>.From(page, f => f.Id), ServerJsonContext.Default.ListResponseVectorStoreFile);
    }

    private static async Task<VectorStoreFile> FindAsync(IVectorStoreRepository stores, string vectorStoreId, string fileId, CancellationToken cancellationToken)
    {
        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        return await stores.GetFileAsync(vectorStoreId, fileId, cancellationToken) ?? throw NotFound(vectorStoreId, fileId);
    }

    private static async Task<VectorStoreFileBatch> FindBatchAsync(IVectorStoreRepository stores, string vectorStoreId, string batchId, CancellationToken cancellationToken)
    {
        await VectorStoreEndpoints.FindAsync(stores, vectorStoreId, cancellationToken);
        return await stores.GetBatchAsync(vectorStoreId, batchId, cancellationToken) ?? throw BatchNotFound(vectorStoreId, batchId);
    }

    private static ApiException NotFound(string vectorStoreId, string fileId) =>
        new(ApiErrorKind.NotFound, $"No file found with id '{fileId}' in vector store '{vectorStoreId}'.", "file_id");

    private static ApiException BatchNotFound(string vectorStoreId, string batchId) =>
        new(ApiErrorKind.NotFound, $"No file batch found with id '{batchId}' in vector store '{vectorStoreId}'.", "batch_id");

    private static IResult Json(VectorStoreFile file) => TypedResults.Json(file, FileJsonContext.Default.VectorStoreFile);

    private static IResult Json(VectorStoreFileBatch batch) => TypedResults.Json(batch, FileJsonContext.Default.VectorStoreFileBatch);
}
