using System.Security.Cryptography;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Server.Http;

namespace AgentHost.Server.Uploads;

/// <summary>
/// <c>/v1/uploads</c>: create, add parts, complete (parts joined in the order given, md5 checked when sent), cancel.
/// A completed upload becomes an ordinary file in <see cref="IFileStore"/>.
/// </summary>
internal static class UploadEndpoints
{
    public static void MapUploadEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/uploads");
        group.MapPost("", CreateAsync);
        group.MapPost("/{uploadId}/parts", AddPartAsync);
        group.MapPost("/{uploadId}/complete", CompleteAsync);
        group.MapPost("/{uploadId}/cancel", CancelAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, IUploadStore uploads, FileLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("filename", "purpose", "bytes", "mime_type", "expires_after");
        var filename = request.RequiredString("filename");
        var purpose = request.RequiredString("purpose");
        request.RequiredString("mime_type");
        if (!FilePurposes.IsUploadable(purpose))
        {
            throw ApiException.Invalid(FilePurposes.NotOneOf(purpose), "purpose");
        }

        var bytes = request.Has("bytes") ? request.Integer("bytes", 0) ?? 0 : throw ApiException.Invalid("Missing required parameter: 'bytes'.", "bytes", "missing_required_parameter");
        if (bytes > limits.MaxUploadBytes)
        {
            throw FileLimits.TooLarge(limits.MaxUploadBytes, nameof(FileLimits.MaxUploadBytes));
        }

        var now = time.GetUtcNow();
        var upload = new Upload
        {
            Id = IdGenerator.Upload(),
            Bytes = bytes,
            CreatedAt = now.ToUnixTimeSeconds(),
            Filename = filename,
            Purpose = purpose,
            ExpiresAt = (now + limits.UploadLifetime).ToUnixTimeSeconds(),
        };
        await uploads.CreateAsync(upload, cancellationToken);
        return Json(upload);
    }

    private static async Task<IResult> AddPartAsync(string uploadId, HttpRequest http, IUploadStore uploads, FileLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var upload = await PendingAsync(uploads, uploadId, time, cancellationToken);
        var form = await MultipartForm.ReadAsync(http, limits.MaxPartBytes, nameof(FileLimits.MaxPartBytes), cancellationToken);
        var data = form.RequiredFile("data");

        // Parts never hold more than the upload declared, so an upload cannot fill the disk past its `bytes`.
        var remaining = upload.Bytes - (await uploads.GetPartSizesAsync(upload.Id, cancellationToken)).Values.Sum();
        if (data.Length > remaining)
        {
            throw ApiException.Invalid(
                $"This part has {data.Length} bytes, but only {Math.Max(remaining, 0)} of the {upload.Bytes} bytes declared when the upload was created remain.",
                "data", "invalid_value");
        }

        await using var content = data.OpenReadStream();
        var part = await uploads.AddPartAsync(upload.Id, content, Math.Min(limits.MaxPartBytes, remaining), cancellationToken);
        return TypedResults.Json(part, FileJsonContext.Default.UploadPart);
    }

    private static async Task<IResult> CompleteAsync(string uploadId, HttpRequest http, IUploadStore uploads, IFileStore files, FileLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("part_ids", "md5");
        var partIds = (request.Array("part_ids") ?? throw ApiException.Invalid("Missing required parameter: 'part_ids'.", "part_ids", "missing_required_parameter"))
            .Select((element, index) => element.ValueKind == System.Text.Json.JsonValueKind.String
                ? element.GetString()!
                : throw request.WrongType($"part_ids[{index}]", "a string", element))
            .ToList();
        var md5 = request.String("md5");
        var upload = await PendingAsync(uploads, uploadId, time, cancellationToken);

        var sizes = await uploads.GetPartSizesAsync(upload.Id, cancellationToken);
        if (partIds.FirstOrDefault(id => !sizes.ContainsKey(id)) is { } unknown)
        {
            throw ApiException.Invalid($"Invalid part ID '{unknown}': no such part in upload '{upload.Id}'.", "part_ids", "invalid_value");
        }

        if (partIds.Distinct(StringComparer.Ordinal).Count() != partIds.Count)
        {
            throw ApiException.Invalid("Each part may be listed once in 'part_ids'.", "part_ids", "invalid_value");
        }

        var total = partIds.Sum(id => sizes[id]);
        if (total != upload.Bytes)
        {
            throw ApiException.Invalid($"The number of bytes in the parts ({total}) does not match the number declared when the upload was created ({upload.Bytes}).", "part_ids", "invalid_value");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var joined = new HashingStream(new ConcatenatedStream(partIds.Select(id => (Func<Stream>)(() => uploads.OpenPart(upload.Id, id)))), hash);
        var file = await files.CreateAsync(upload.Filename, upload.Purpose, joined, limits.MaxUploadBytes, cancellationToken);
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (md5 is not null && !string.Equals(md5, actual, StringComparison.OrdinalIgnoreCase))
        {
            await files.DeleteAsync(file.Id, CancellationToken.None);
            throw ApiException.Invalid($"The md5 checksum of the assembled file ({actual}) does not match the one given ({md5}).", "md5", "invalid_value");
        }

        upload = upload with { Status = UploadStatus.Completed, File = file };
        await uploads.UpdateAsync(upload, CancellationToken.None);
        await uploads.DeletePartsAsync(upload.Id, CancellationToken.None);
        return Json(upload);
    }

    private static async Task<IResult> CancelAsync(string uploadId, IUploadStore uploads, TimeProvider time, CancellationToken cancellationToken)
    {
        var upload = await PendingAsync(uploads, uploadId, time, cancellationToken) with { Status = UploadStatus.Cancelled };
        await uploads.UpdateAsync(upload, cancellationToken);
        await uploads.DeletePartsAsync(upload.Id, CancellationToken.None);
        return Json(upload);
    }

    /// <summary>The upload, if it still takes parts; an expired one is marked so as it is found.</summary>
    private static async Task<Upload> PendingAsync(IUploadStore uploads, string id, TimeProvider time, CancellationToken cancellationToken)
    {
        var upload = await uploads.GetAsync(id, cancellationToken) ?? throw new ApiException(ApiErrorKind.NotFound, $"No such Upload object: {id}", "upload_id");
        if (upload.Status == UploadStatus.Pending && time.GetUtcNow().ToUnixTimeSeconds() >= upload.ExpiresAt)
        {
            upload = upload with { Status = UploadStatus.Expired };
            await uploads.UpdateAsync(upload, cancellationToken);
            await uploads.DeletePartsAsync(upload.Id, CancellationToken.None);
        }

        return upload.Status == UploadStatus.Pending
            ? upload
            : throw ApiException.Invalid($"Upload '{id}' is {upload.Status} and no longer accepts changes.", "upload_id", "invalid_state");
    }

    private static IResult Json(Upload upload) => TypedResults.Json(upload, FileJsonContext.Default.Upload);
}
