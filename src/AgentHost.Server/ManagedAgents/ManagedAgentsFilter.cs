using AgentHost.Core.Errors;
using AgentHost.Server.AnthropicApi;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Every Managed Agents route: the request must carry the beta (<c>anthropic-beta: managed-agents-2026-04-01</c>, as
/// the SDK sends it), and a refusal is answered in Anthropic's error envelope with the right status and, where the API
/// has one, <c>error.details.error_code</c>.
/// </summary>
internal sealed class ManagedAgentsFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        AnthropicErrors.RequestId(http);
        var betas = http.Request.Headers["anthropic-beta"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        if (!betas.Contains(ManagedAgentsApi.Beta, StringComparer.Ordinal))
        {
            return Error(http, new ApiException(ApiErrorKind.InvalidRequest,
                $"This endpoint is in beta: send the header 'anthropic-beta: {ManagedAgentsApi.Beta}' (the Anthropic SDK's client.beta.agents, environments and sessions add it)."));
        }

        try
        {
            return await next(context);
        }
        catch (ApiException refusal)
        {
            return Error(http, refusal);
        }
    }

    /// <summary>The API's error envelope for <paramref name="refusal"/>.</summary>
    public static IResult Error(HttpContext http, ApiException refusal)
    {
        var (status, type) = refusal.Kind switch
        {
            ApiErrorKind.NotFound => (StatusCodes.Status404NotFound, "not_found_error"),
            ApiErrorKind.Unauthorized => (StatusCodes.Status401Unauthorized, "authentication_error"),
            ApiErrorKind.Conflict => (StatusCodes.Status409Conflict, "invalid_request_error"),
            ApiErrorKind.ServerError => (StatusCodes.Status500InternalServerError, "api_error"),
            _ => (StatusCodes.Status400BadRequest, "invalid_request_error"),
        };
        var error = new System.Text.Json.Nodes.JsonObject { ["type"] = type, ["message"] = refusal.Message };
        if (refusal.Code is { } code)
        {
            error["details"] = new System.Text.Json.Nodes.JsonObject { ["error_code"] = code };
        }

        return ManagedAgentsApi.Json(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "error",
            ["error"] = error,
            ["request_id"] = AnthropicErrors.RequestId(http),
        }, status);
    }
}
