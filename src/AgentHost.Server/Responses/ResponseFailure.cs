using AgentHost.Core.Domain;
using AgentHost.Server.Http;

namespace AgentHost.Server.Responses;

/// <summary>
/// What a foreground, unstreamed response that failed answers, as the original does: an error status with the error
/// envelope (the response stays retrievable as <c>failed</c>): 429 for a rate limit, 400 for an input the model refused or
/// that does not fit, 500 for anything else. A 429 carries the <c>x-ratelimit-*</c> and <c>retry-after</c> headers of the
/// limits' standing when the refusal is reported (the run's call was refused a moment before, in the same project and
/// with the same key, so the standing is what refused it unless the window has just turned).
/// </summary>
internal static class ResponseFailure
{
    public static async Task<IResult> OfAsync(HttpContext http, RunError error, string model, CancellationToken cancellationToken)
    {
        if (error.Code == RunErrorCodes.RateLimitExceeded
            && http.RequestServices.GetService<Core.RateLimits.IRateLimitStanding>() is { } limits
            && await limits.StandingAsync(model, cancellationToken) is { } standing)
        {
            RateLimitHeaders.WriteOpenAI(http.Response, standing, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        }

        return Of(error);
    }

    public static IResult Of(RunError error) => error.Code switch
    {
        RunErrorCodes.RateLimitExceeded => ApiErrors.Result(StatusCodes.Status429TooManyRequests, "requests", error.Message, null, error.Code),
        RunErrorCodes.ContextLengthExceeded => ApiErrors.Result(StatusCodes.Status400BadRequest, "invalid_request_error", error.Message, "input", error.Code),
        RunErrorCodes.InvalidPrompt => ApiErrors.Result(StatusCodes.Status400BadRequest, "invalid_request_error", error.Message, null, error.Code),
        _ => ApiErrors.Result(StatusCodes.Status500InternalServerError, "server_error", error.Message, null, error.Code),
    };
}
