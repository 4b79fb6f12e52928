using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Server.Http;

/// <summary>When an API key is configured, every request to the API (<c>/v1</c>, <c>/mcp</c>) and to <c>/metrics</c> (unless made public) must carry it.</summary>
internal static class ApiKeyAuthentication
{
    public static IApplicationBuilder UseApiKey(this IApplicationBuilder app, string? apiKey, bool publicMetrics)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return app;
        }

        var expected = Encoding.UTF8.GetBytes(apiKey);
        return app.Use(async (context, next) =>
        {
            if (!IsGuarded(context.Request.Path, publicMetrics))
            {
                await next(context);
                return;
            }

            var header = context.Request.Headers.Authorization.ToString();
            var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : context.Request.Headers["x-api-key"].ToString();
            if (key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), expected))
            {
                await next(context);
                return;
            }

            if (AnthropicApi.AnthropicErrors.Applies(context))
            {
                var problem = key.Length == 0 ? "x-api-key header is required" : "invalid x-api-key";
                await AnthropicApi.AnthropicErrors.WriteAsync(context, new Compat.CallFailure(Compat.FailureKind.Authentication, problem));
                return;
            }

            var message = key.Length == 0
                ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided. Set the key configured as AgentHost:ApiKey (AGENTHOST_API_KEY).";
            await ApiErrors.Result(StatusCodes.Status401Unauthorized, "invalid_request_error", message, null, "invalid_api_key").ExecuteAsync(context);
        });
    }

    private static bool IsGuarded(PathString path, bool publicMetrics) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/mcp") || (!publicMetrics && path.StartsWithSegments("/metrics"));
}
