using AgentHost.Core.Storage;
using AgentHost.Server.Tenancy;

namespace AgentHost.Server.Http;

/// <summary>
/// Resolves each API request's caller once (<see cref="CallerResolver"/>) and runs the rest of the request in its
/// project (<see cref="ProjectScope"/>), which every store reads. When a key is configured, every request to the API
/// (<c>/v1</c>, <c>/mcp</c>) and to <c>/metrics</c> (unless made public) must carry one. The admin key may use the Admin
/// API and read (GET) any endpoint across every project — the console — but not create or change a project's objects.
/// </summary>
internal static class ApiKeyAuthentication
{
    public static IApplicationBuilder UseApiKey(this IApplicationBuilder app, bool publicMetrics)
    {
        var resolver = app.ApplicationServices.GetRequiredService<CallerResolver>();
        return app.Use(async (context, next) =>
        {
            if (!IsGuarded(context.Request.Path, publicMetrics))
            {
                await next(context);
                return;
            }

            var header = context.Request.Headers.Authorization.ToString();
            var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : context.Request.Headers["x-api-key"].ToString();
            var caller = resolver.Enabled ? await resolver.ResolveAsync(key, context.RequestAborted) : Caller.Open;
            if (caller is null)
            {
                await RefuseAsync(context, key.Length == 0
                    ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                    : "Incorrect API key provided. Use a project's key, or the key configured as AgentHost:ApiKey (AGENTHOST_API_KEY).");
                return;
            }

            var admin = context.Request.Path.StartsWithSegments("/v1/organization");
            if (admin && caller.Kind != CallerKind.Admin)
            {
                await RefuseAsync(context, resolver.ProjectsEnabled
                    ? "The Admin API needs the admin key (AgentHost:Auth:AdminKey); a project key cannot manage projects."
                    : "The Admin API is off: set AgentHost:Auth:AdminKey (AgentHost__Auth__AdminKey) to manage projects and their keys.");
                return;
            }

            if (!admin && caller.Kind == CallerKind.Admin && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                await RefuseAsync(context, "Admin keys can only read outside /v1/organization; use a project key to create or change objects (the object belongs to the key's project).");
                return;
            }

            caller.AttachTo(context);
            await resolver.NoteUsedAsync(caller);
            using (ProjectScope.Enter(caller.Project, caller.RateLimitKey))
            {
                await next(context);
            }
        });
    }

    private static async Task RefuseAsync(HttpContext context, string message)
    {
        if (AnthropicApi.AnthropicErrors.Applies(context))
        {
            await AnthropicApi.AnthropicErrors.WriteAsync(context, new Compat.CallFailure(Compat.FailureKind.Authentication, message));
            return;
        }

        await ApiErrors.Result(StatusCodes.Status401Unauthorized, "invalid_request_error", message, null, "invalid_api_key").ExecuteAsync(context);
    }

    private static bool IsGuarded(PathString path, bool publicMetrics) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/mcp") || (!publicMetrics && path.StartsWithSegments("/metrics"));
}
