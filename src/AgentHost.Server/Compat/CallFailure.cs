using System.ClientModel;
using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using Anthropic.Exceptions;

namespace AgentHost.Server.Compat;

/// <summary>
/// A failed compatible-endpoint call, classified from what threw: a refused request, an unknown model, or a model
/// call that failed after retries and fallback (its upstream status decides the kind).
/// </summary>
internal sealed record CallFailure(FailureKind Kind, string Message)
{
    /// <summary>A machine-readable cause the API names in <c>error.details.error_code</c> (e.g. <c>thread_not_found</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The counter that refused the call, when an AgentHost rate limit did: the answer's rate-limit headers report it.</summary>
    public Core.RateLimits.RateLimitState? RateLimit { get; init; }

    public static CallFailure? From(Exception exception) => exception switch
    {
        ApiException { Kind: ApiErrorKind.NotFound } e => new(FailureKind.NotFound, e.Message),
        ApiException { Kind: ApiErrorKind.Unauthorized } e => new(FailureKind.Authentication, e.Message),
        ApiException { Kind: ApiErrorKind.ServerError } e => new(FailureKind.Api, e.Message),
        ApiException e => new(FailureKind.InvalidRequest, e.Message),
        ModelUnavailableException e => new(FailureKind.NotFound, e.Message),
        AnthropicApi.MessageThreadException e => new(e.Kind, e.Message) { ErrorCode = e.ErrorCode },

        // A 400, not a 429 or 5xx: SDKs retry those, and a budget does not recover by waiting.
        BudgetExceededException e => new(FailureKind.InvalidRequest, e.Message),
        ModelCallException { InnerException: Core.RateLimits.RateLimitExceededException limit } e => new(FailureKind.RateLimit, e.Message) { RateLimit = limit.State },
        ModelCallException e => new(KindOf(e), e.Message),
        _ => null,
    };

    private static FailureKind KindOf(ModelCallException exception) => UpstreamStatus(exception.InnerException) switch
    {
        400 or 413 or 422 => FailureKind.InvalidRequest,
        404 => FailureKind.NotFound,
        429 => FailureKind.RateLimit,
        503 or 529 => FailureKind.Overloaded,
        408 or 504 => FailureKind.Timeout,

        // The upstream refused AgentHost's provider key: a server misconfiguration, not the caller's credentials.
        401 or 403 => FailureKind.Api,
        null when exception.InnerException is OperationCanceledException or TimeoutException => FailureKind.Timeout,
        _ => exception.Code == Core.Domain.RunErrorCodes.RateLimitExceeded ? FailureKind.RateLimit : FailureKind.Api,
    };

    private static int? UpstreamStatus(Exception? exception) => exception switch
    {
        AnthropicApiException e => (int)e.StatusCode,
        ClientResultException { Status: > 0 } e => e.Status,
        AnthropicSseException e => StreamErrorStatus(e.Body),
        _ => null,
    };

    // An `event: error` in a 200 stream has no status; its error type says which it would have been.
    private static int? StreamErrorStatus(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("error", out var error)
        && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("type", out var type)
            ? type.GetString() switch
            {
                "overloaded_error" => 529,
                "rate_limit_error" => 429,
                "invalid_request_error" => 400,
                "not_found_error" => 404,
                _ => 500,
            }
            : null;
}
