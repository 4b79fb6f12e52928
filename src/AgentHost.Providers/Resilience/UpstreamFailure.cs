using System.ClientModel;
using Anthropic.Exceptions;

namespace AgentHost.Providers.Resilience;

/// <summary>A failed attempt, described alike whichever SDK threw.</summary>
internal sealed record UpstreamFailure(Exception Exception, int? StatusCode, string Description, TimeSpan? RetryAfter, bool IsTransient)
{
    public bool IsRateLimit => StatusCode == 429;

    /// <summary>
    /// Describes <paramref name="exception"/>, or returns null when it is not an upstream failure (a bug, to be
    /// surfaced as it is). The caller's own cancellation must be filtered out before.
    /// </summary>
    public static UpstreamFailure? From(Exception exception, UpstreamResponseCapture? capture, TimeSpan attemptTimeout, DateTimeOffset now) =>
        exception switch
        {
            // Ours (RetryOptions.AttemptTimeout) or the SDK's own timeout, which is set to the same value.
            OperationCanceledException or TimeoutException => new(exception, null, $"timed out after {attemptTimeout}", null, true),
            AnthropicApiException e => FromStatus(e, (int)e.StatusCode, e.ResponseBody, capture, now),
            // An `event: error` inside a 200 stream carries no status; its error type says what it would have been.
            AnthropicSseException e when StatusOfStreamError(e) is { } status => FromStatus(e, status, RawText(e), null, now),
            ClientResultException { Status: > 0 } e => FromStatus(e, e.Status, ReadBody(e), capture, now),
            // A ClientResultException without a status is the OpenAI SDK's wrapper for a transport failure.
            AnthropicIOException or ClientResultException or HttpRequestException or IOException =>
                new(exception, null, $"connection failed: {exception.GetBaseException().Message}", null, true),
            _ => null,
        };

    private static UpstreamFailure FromStatus(Exception exception, int status, string? body, UpstreamResponseCapture? capture, DateTimeOffset now)
    {
        var (type, message) = UpstreamErrorBody.Read(body);
        var description = $"HTTP {status}{(type is null ? "" : " " + type)}: {message ?? exception.Message}";
        var retryAfter = RetryAfterHeader.Parse(capture?.RetryAfterMs, capture?.RetryAfter, now);
        return new(exception, status, description, retryAfter, IsTransientStatus(status));
    }

    // 529 is Anthropic's "overloaded"; 400, 401, 403, 404 and the like will fail the same way again.
    private static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;

    private static int? StatusOfStreamError(AnthropicSseException exception) =>
        UpstreamErrorBody.Read(RawText(exception)).Type switch
        {
            "overloaded_error" => 529,
            "rate_limit_error" => 429,
            "api_error" => 500,
            _ => null,
        };

    private static string? RawText(AnthropicSseException exception) =>
        exception.Body.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : exception.Body.GetRawText();

    private static string? ReadBody(ClientResultException exception)
    {
        try
        {
            return exception.GetRawResponse()?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            // The body was not buffered; the exception's own message still says what happened.
            return null;
        }
    }
}
