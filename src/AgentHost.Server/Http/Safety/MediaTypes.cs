using Microsoft.Net.Http.Headers;

namespace AgentHost.Server.Http.Safety;

/// <summary>
/// The request body types the API takes. Refusing the rest stops a web page from sending a request without a CORS
/// preflight: browsers send <c>text/plain</c> and form bodies cross-origin freely, never <c>application/json</c>.
/// </summary>
internal static class MediaTypes
{
    public static bool IsAccepted(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }

        var type = parsed.MediaType;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            || type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a request carries a body (or says it does) that must have an accepted type.</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0
        || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
        || request.Headers.ContentType.Count > 0;
}
