using AgentHost.Core.Containers;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Server.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace AgentHost.Server.Containers;

/// <summary><c>/v1/containers/{id}/files</c>: add (multipart upload or a <c>file_id</c>), list, retrieve, delete, content.</summary>
internal static class ContainerFileEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void MapContainerFileEndpoints(this RouteGroupBuilder containers)
    {
        containers.MapPost("/{containerId}/files", CreateAsync);
        containers.MapGet("/{containerId}/files", ListAsync);
        containers.MapGet("/{containerId}/files/{fileId}", GetAsync);
        containers.MapDelete("/{containerId}/files/{fileId}", DeleteAsync);
        containers.MapGet("/{containerId}/files/{fileId}/content", ContentAsync);
    }

    private static async Task<IResult> CreateAsync(string containerId, HttpRequest http, ContainerService containers, FileLimits limits, CancellationToken cancellationToken)
    {
        ContainerFile file;
        if (http.HasFormContentType)
        {
            // The container must exist before a large body is read.
            await containers.GetAsync(containerId, cancellationToken);
            var form = await MultipartForm.ReadAsync(http, limits.MaxFileBytes, nameof(FileLimits.MaxFileBytes), cancellationToken);
            if (form.Field("file_id") is { Length: > 0 } formFileId)
            {
                file = await containers.AddStoredFileAsync(containerId, formFileId, cancellationToken);
            }
            else
            {
                var upload = form.RequiredFile("file");
                if (upload.Length > limits.MaxFileBytes)
                {
                    throw FileLimits.TooLarge(limits.MaxFileBytes, nameof(FileLimits.MaxFileBytes));
                }

                await using var content = upload.OpenReadStream();
                file = await containers.AddFileAsync(containerId, upload.FileName, content, cancellationToken);
            }
        }
        else
        {
            var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("file_id");
            file = await containers.AddStoredFileAsync(containerId, request.RequiredString("file_id"), cancellationToken);
        }

        return Json(file);
    }

    private static async Task<IResult> ListAsync(string containerId, HttpRequest http, ContainerService containers, CancellationToken cancellationToken)
    {
        var page = await containers.ListFilesAsync(containerId, ListQueryReader.Read(http), cancellationToken);
        return TypedResults.Json(ListResponse<ContainerFile>.From(page, f => f.Id), ServerJsonContext.Default.ListResponseContainerFile);
    }

    private static async Task<IResult> GetAsync(string containerId, string fileId, ContainerService containers, CancellationToken cancellationToken) =>
        Json(await containers.GetFileAsync(containerId, fileId, cancellationToken));

    private static async Task<IResult> DeleteAsync(string containerId, string fileId, ContainerService containers, CancellationToken cancellationToken)
    {
        await containers.DeleteFileAsync(containerId, fileId, cancellationToken);
        return TypedResults.Json(new ContainerDeletionStatus(fileId, "container.file.deleted", true), ContainerJsonContext.Default.ContainerDeletionStatus);
    }

    private static async Task<IResult> ContentAsync(string containerId, string fileId, ContainerService containers, CancellationToken cancellationToken)
    {
        var (file, content) = await containers.OpenFileAsync(containerId, fileId, cancellationToken);
        var name = Path.GetFileName(file.Path);
        var type = ContentTypes.TryGetContentType(name, out var known) ? known : "application/octet-stream";
        return TypedResults.Stream(content, type, name);
    }

    private static IResult Json(ContainerFile file) => TypedResults.Json(file, ContainerJsonContext.Default.ContainerFile);
}
