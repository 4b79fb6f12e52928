using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;
using AgentHost.Server.Http;

namespace AgentHost.Server.Files;

/// <summary><c>/v1/files</c>: upload (multipart), list, retrieve, delete, download content.</summary>
internal static class FileEndpoints
{
    public static void MapFileEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/files");
        group.MapPost("", UploadAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{fileId}", GetAsync);
        group.MapDelete("/{fileId}", DeleteAsync);
        group.MapGet("/{fileId}/content", ContentAsync);
    }

    /// <summary>The original's 404 for a file: <c>No such File object: {id}</c>, param <c>id</c>.</summary>
    public static ApiException NotFound(string id) => new(ApiErrorKind.NotFound, $"No such File object: {id}", "id");

    private static async Task<IResult> UploadAsync(HttpRequest http, IFileStore files, FileLimits limits, CancellationToken cancellationToken)
    {
        var form = await MultipartForm.ReadAsync(http, limits.MaxFileBytes, nameof(FileLimits.MaxFileBytes), cancellationToken);
        var purpose = form.RequiredField("purpose");
        if (!FilePurposes.IsUploadable(purpose))
        {
            throw ApiException.Invalid(FilePurposes.NotOneOf(purpose), "purpose");
        }

        var upload = form.RequiredFile("file");
        if (upload.Length > limits.MaxFileBytes)
        {
            throw FileLimits.TooLarge(limits.MaxFileBytes, nameof(FileLimits.MaxFileBytes));
        }

        await using var content = upload.OpenReadStream();
        var file = await files.CreateAsync(FileName(upload), purpose, content, cancellationToken);
        return TypedResults.Json(file, FileJsonContext.Default.StoredFile);
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IFileStore files, CancellationToken cancellationToken)
    {
        var purpose = http.Query["purpose"].ToString();
        var page = await files.ListAsync(purpose.Length == 0 ? null : purpose, FileListQuery.Read(http), cancellationToken);
        return TypedResults.Json(ListResponse<StoredFile>.From(page, f => f.Id), ServerJsonContext.Default.ListResponseStoredFile);
    }

    private static async Task<IResult> GetAsync(string fileId, IFileStore files, CancellationToken cancellationToken) =>
        TypedResults.Json(await files.GetAsync(fileId, cancellationToken) ?? throw NotFound(fileId), FileJsonContext.Default.StoredFile);

    /// <summary>Deletes the file and takes it out of every vector store that holds it, so no search returns its chunks.</summary>
    private static async Task<IResult> DeleteAsync(string fileId, IFileStore files, IVectorStoreRepository stores, IVectorStoreIndex index, CancellationToken cancellationToken)
    {
        if (!await files.DeleteAsync(fileId, cancellationToken))
        {
            throw NotFound(fileId);
        }

        foreach (var storeId in await stores.StoresOfFileAsync(fileId, CancellationToken.None))
        {
            await stores.RemoveFileAsync(storeId, fileId, CancellationToken.None);
            await index.RemoveFileAsync(storeId, fileId, CancellationToken.None);
        }

        return TypedResults.Json(new FileDeletionStatus(fileId, true), FileJsonContext.Default.FileDeletionStatus);
    }

    private static async Task<IResult> ContentAsync(string fileId, IFileStore files, CancellationToken cancellationToken)
    {
        var file = await files.GetAsync(fileId, cancellationToken) ?? throw NotFound(fileId);
        var content = await files.OpenReadAsync(fileId, cancellationToken) ?? throw NotFound(fileId);
        return TypedResults.Stream(content, "application/octet-stream", file.Filename);
    }

    // Browsers and some clients send a path; the file object keeps the name only.
    private static string FileName(IFormFile upload) =>
        Path.GetFileName(upload.FileName.Replace('\\', '/')) is { Length: > 0 } name ? name : "file";
}
