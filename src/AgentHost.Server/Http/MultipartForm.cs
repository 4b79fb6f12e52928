using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using Microsoft.AspNetCore.Http.Features;

namespace AgentHost.Server.Http;

/// <summary>
/// Reads a <c>multipart/form-data</c> body whose file part may be up to <c>maxFileBytes</c>. ASP.NET spools large
/// parts to disk; the request body limit is raised to fit the file, and anything beyond it is refused in the API's
/// own error rather than Kestrel's.
/// </summary>
internal static class MultipartForm
{
    // Room for the other fields and the part headers around the file.
    private const long Overhead = 1024 * 1024;

    public static async Task<IFormCollection> ReadAsync(HttpRequest request, long maxFileBytes, string setting, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentType?.Contains("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw ApiException.Invalid("The request must be multipart/form-data.", "file");
        }

        if (request.ContentLength > maxFileBytes + Overhead)
        {
            throw FileLimits.TooLarge(maxFileBytes, setting);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxFileBytes + Overhead;
        }

        try
        {
            return await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxFileBytes + Overhead }, cancellationToken);
        }
        catch (InvalidDataException)
        {
            throw FileLimits.TooLarge(maxFileBytes, setting);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw FileLimits.TooLarge(maxFileBytes, setting);
        }
    }

    public static string? Field(this IFormCollection form, string name) =>
        form.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;

    public static string RequiredField(this IFormCollection form, string name) =>
        form.Field(name) is { Length: > 0 } value
            ? value
            : throw ApiException.Invalid($"Missing required parameter: '{name}'.", name, "missing_required_parameter");

    public static IFormFile RequiredFile(this IFormCollection form, string name) =>
        form.Files.GetFile(name) ?? throw ApiException.Invalid($"Missing required parameter: '{name}'.", name, "missing_required_parameter");
}
