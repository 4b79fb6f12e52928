using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Compat;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Http.Safety;

/// <summary>
/// Refuses requests a browser could be tricked into sending: a <c>Host</c> that is not ours (DNS rebinding), an
/// <c>Origin</c> other than our own or a configured CORS origin (cross-site requests), and API bodies that are not
/// JSON or multipart (requests that skip the CORS preflight). Each refusal is in the caller's API's error shape.
/// </summary>
internal static class RequestGuard
{
    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<HttpSafetyOptions>>().Value;
        var hosts = new HostNames(options.AllowedHosts);
        var origins = new HashSet<string>(options.CorsOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/health"))
            {
                await next(context);
                return;
            }

            if (!hosts.Accepts(request.Host))
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, FailureKind.InvalidRequest,
                    $"Host '{request.Host}' is not served here. Add it to AgentHost:Http:AllowedHosts (loopback names and IP addresses are always accepted).");
                return;
            }

            var origin = request.Headers.Origin.ToString();
            if (origin.Length > 0 && !IsSameOrigin(request, origin) && !origins.Contains(origin) && !origins.Contains("*"))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, FailureKind.Permission,
                    $"Requests from the web origin '{origin}' are not allowed. Add it to AgentHost:Http:CorsOrigins to allow browser calls from it.");
                return;
            }

            if (IsApi(request.Path) && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)))
            {
                if (MediaTypes.HasBody(request) && !MediaTypes.IsAccepted(request.ContentType))
                {
                    var type = string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{request.ContentType}'";
                    await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, FailureKind.InvalidRequest,
                        $"Unsupported Content-Type {type}: send the request body as application/json (or multipart/form-data where the endpoint takes files).");
                    return;
                }
            }

            await next(context);
        });
    }

    private static bool IsApi(PathString path) => path.StartsWithSegments("/v1") || path.StartsWithSegments("/mcp");

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    private static Task RefuseAsync(HttpContext context, int status, FailureKind kind, string message)
    {
        if (AnthropicErrors.Applies(context))
        {
            return AnthropicErrors.WriteAsync(context, new CallFailure(kind, message));
        }

        var code = kind == FailureKind.Permission ? "origin_not_allowed" : status == StatusCodes.Status415UnsupportedMediaType ? "unsupported_media_type" : "host_not_allowed";
        return ApiErrors.Result(status, "invalid_request_error", message, null, code).ExecuteAsync(context);
    }
}
