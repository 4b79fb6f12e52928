using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Server.Compat;
using AgentHost.Server.Http;

namespace AgentHost.Server.ChatCompletions;

/// <summary>Failures of the compatible endpoints in OpenAI's envelope, with the status codes its SDKs act on (503 for an overloaded model, so they retry).</summary>
internal static class ChatCompletionErrors
{
    public static (int Status, string Type, string? Code) Describe(FailureKind kind) => kind switch
    {
        FailureKind.InvalidRequest => (StatusCodes.Status400BadRequest, "invalid_request_error", null),
        FailureKind.Authentication => (StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key"),
        FailureKind.Permission => (StatusCodes.Status403Forbidden, "invalid_request_error", "permission_denied"),
        FailureKind.NotFound => (StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found"),
        FailureKind.RateLimit => (StatusCodes.Status429TooManyRequests, "rate_limit_error", "rate_limit_exceeded"),
        FailureKind.Timeout => (StatusCodes.Status504GatewayTimeout, "timeout", "timeout"),
        FailureKind.Overloaded => (StatusCodes.Status503ServiceUnavailable, "server_error", "overloaded"),
        _ => (StatusCodes.Status500InternalServerError, "server_error", null),
    };

    public static IResult From(Exception exception, CallFailure failure)
    {
        // Request validation already speaks OpenAI's language, parameter and code included.
        if (exception is ApiException api)
        {
            return ApiErrors.From(api);
        }

        if (exception is BudgetExceededException budget)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "invalid_request_error", failure.Message, null, budget.Reason);
        }

        var (status, type, code) = Describe(failure.Kind);
        return ApiErrors.Result(status, type, failure.Message, failure.Kind == FailureKind.NotFound ? "model" : null, code);
    }
}
