using AgentHost.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace AgentHost.Server.Http;

/// <summary>The one place that turns failures into the OpenAI error envelope and its status code.</summary>
internal static partial class ApiErrors
{
    public static IResult Result(int status, string type, string message, string? param = null, string? code = null) =>
        TypedResults.Json(new ErrorEnvelope(new ErrorBody(message, type, param, code)), ServerJsonContext.Default.ErrorEnvelope, statusCode: status);

    public static IResult From(ApiException exception) => exception.Kind switch
    {
        ApiErrorKind.NotFound => Result(StatusCodes.Status404NotFound, "invalid_request_error", exception.Message, exception.Param, exception.Code),
        ApiErrorKind.Unauthorized => Result(StatusCodes.Status401Unauthorized, "invalid_request_error", exception.Message, exception.Param, exception.Code ?? "invalid_api_key"),
        ApiErrorKind.Conflict => Result(StatusCodes.Status409Conflict, "invalid_request_error", exception.Message, exception.Param, exception.Code),
        ApiErrorKind.ServerError => Result(StatusCodes.Status500InternalServerError, "server_error", exception.Message, exception.Param, exception.Code),
        _ => Result(StatusCodes.Status400BadRequest, "invalid_request_error", exception.Message, exception.Param, exception.Code),
    };

    /// <summary>Exception handler: known refusals keep their status; anything else is a 500 that says so without leaking internals.</summary>
    public static async Task HandleAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = exception switch
        {
            ApiException api => From(api),
            BadHttpRequestException bad => Result(bad.StatusCode, "invalid_request_error", bad.Message),
            Core.Models.ModelCallException { InnerException: Core.RateLimits.RateLimitExceededException } limited =>
                Result(StatusCodes.Status429TooManyRequests, "requests", limited.Message, null, limited.Code),
            _ => Result(StatusCodes.Status500InternalServerError, "server_error", "The server had an error while processing your request. Sorry about that!"),
        };

        if (exception is Core.Models.ModelCallException { InnerException: Core.RateLimits.RateLimitExceededException refused } && !AnthropicApi.AnthropicErrors.Applies(context))
        {
            RateLimitHeaders.WriteOpenAI(context.Response, refused.State, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        }
        else if (exception is not (ApiException or BadHttpRequestException))
        {
            LogUnhandled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server"), context.Request.Path, exception);
        }

        if (AnthropicApi.AnthropicErrors.Applies(context) && !context.Response.HasStarted)
        {
            // Anthropic clients parse their own envelope; a crash on their routes must still be one.
            var failure = exception is BadHttpRequestException bad
                ? new Compat.CallFailure(Compat.FailureKind.InvalidRequest, bad.Message)
                : Compat.CallFailure.From(exception!) ?? new Compat.CallFailure(Compat.FailureKind.Api, "Internal server error");
            await AnthropicApi.AnthropicErrors.WriteAsync(context, failure);
            return;
        }

        await result.ExecuteAsync(context);
    }

    /// <summary>Unknown routes answer like the original: 404 with the method and path.</summary>
    public static IResult UnknownRoute(HttpContext context) =>
        Result(StatusCodes.Status404NotFound, "invalid_request_error", $"Invalid URL ({context.Request.Method} {context.Request.Path})");

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unhandled error serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, string path, Exception? exception);
}
