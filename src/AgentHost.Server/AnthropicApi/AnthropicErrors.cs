using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Server.Compat;
using AgentHost.Server.Http;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// The Messages API's error envelope, <c>{"type": "error", "error": {"type", "message"}, "request_id"}</c>, its status
/// codes, and the <c>request-id</c> header every response of this API carries.
/// </summary>
internal static class AnthropicErrors
{
    public const string RequestIdHeader = "request-id";

    /// <summary>Requests answered in Anthropic's shapes: the Messages API's routes, or any request from an Anthropic client.</summary>
    public static bool Applies(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1/messages") || context.Request.Headers.ContainsKey("anthropic-version");

    /// <summary>Gives the response its <c>request-id</c> (once) and returns it.</summary>
    public static string RequestId(HttpContext context)
    {
        if (context.Response.Headers.TryGetValue(RequestIdHeader, out var existing) && existing.Count > 0)
        {
            return existing.ToString();
        }

        var id = IdGenerator.New("req");
        context.Response.Headers[RequestIdHeader] = id;
        return id;
    }

    public static int Status(FailureKind kind) => kind switch
    {
        FailureKind.InvalidRequest => StatusCodes.Status400BadRequest,
        FailureKind.Authentication => StatusCodes.Status401Unauthorized,
        FailureKind.Permission => StatusCodes.Status403Forbidden,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.RateLimit => StatusCodes.Status429TooManyRequests,
        FailureKind.Timeout => StatusCodes.Status504GatewayTimeout,
        FailureKind.Overloaded => 529,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string Type(FailureKind kind) => kind switch
    {
        FailureKind.InvalidRequest => "invalid_request_error",
        FailureKind.Authentication => "authentication_error",
        FailureKind.Permission => "permission_error",
        FailureKind.NotFound => "not_found_error",
        FailureKind.RateLimit => "rate_limit_error",
        FailureKind.Timeout => "timeout_error",
        FailureKind.Overloaded => "overloaded_error",
        _ => "api_error",
    };

    public static void WriteEnvelope(Utf8JsonWriter writer, CallFailure failure, string requestId)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", Type(failure.Kind));
        writer.WriteString("message", failure.Message);
        if (failure.ErrorCode is { } code)
        {
            writer.WriteStartObject("details");
            writer.WriteString("error_code", code);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteString("request_id", requestId);
        writer.WriteEndObject();
    }

    public static async Task WriteAsync(HttpContext context, CallFailure failure)
    {
        var requestId = RequestId(context);
        var response = context.Response;
        response.StatusCode = Status(failure.Kind);
        response.ContentType = "application/json";
        if (failure.RateLimit is { } limit)
        {
            RateLimitHeaders.WriteAnthropic(response, limit, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        }

        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            WriteEnvelope(writer, failure, requestId);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
