using System.Globalization;
using AgentHost.Core.RateLimits;

namespace AgentHost.Server.Http;

/// <summary>
/// The headers a rate-limited answer carries, in each API's own names: OpenAI's <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>
/// (reset as a duration, e.g. <c>1m2.5s</c>) and Anthropic's <c>anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}</c>
/// (reset as an RFC 3339 time), both with <c>retry-after</c> in whole seconds. A limit that is not set is not reported.
/// </summary>
internal static class RateLimitHeaders
{
    public static void WriteOpenAI(HttpResponse response, RateLimitState state, DateTimeOffset now)
    {
        var reset = Duration(state.ResetAt - now);
        if (state.RequestsLimit is { } requests)
        {
            response.Headers["x-ratelimit-limit-requests"] = Number(requests);
            response.Headers["x-ratelimit-remaining-requests"] = Number(state.RequestsRemaining);
            response.Headers["x-ratelimit-reset-requests"] = reset;
        }

        if (state.TokensLimit is { } tokens)
        {
            response.Headers["x-ratelimit-limit-tokens"] = Number(tokens);
            response.Headers["x-ratelimit-remaining-tokens"] = Number(state.TokensRemaining);
            response.Headers["x-ratelimit-reset-tokens"] = reset;
        }

        response.Headers.RetryAfter = Number(state.RetryAfterSeconds(now));
    }

    public static void WriteAnthropic(HttpResponse response, RateLimitState state, DateTimeOffset now)
    {
        var reset = state.ResetAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (state.RequestsLimit is { } requests)
        {
            response.Headers["anthropic-ratelimit-requests-limit"] = Number(requests);
            response.Headers["anthropic-ratelimit-requests-remaining"] = Number(state.RequestsRemaining);
            response.Headers["anthropic-ratelimit-requests-reset"] = reset;
        }

        if (state.TokensLimit is { } tokens)
        {
            response.Headers["anthropic-ratelimit-tokens-limit"] = Number(tokens);
            response.Headers["anthropic-ratelimit-tokens-remaining"] = Number(state.TokensRemaining);
            response.Headers["anthropic-ratelimit-tokens-reset"] = reset;
        }

        response.Headers.RetryAfter = Number(state.RetryAfterSeconds(now));
    }

    /// <summary>A duration as OpenAI writes it: <c>120ms</c>, <c>1.5s</c>, <c>1m0s</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span < TimeSpan.FromSeconds(1))
        {
            return Number((long)span.TotalMilliseconds) + "ms";
        }

        var seconds = (span.TotalSeconds % 60).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return span.TotalMinutes >= 1 ? Number((long)span.TotalMinutes) + "m" + seconds : seconds;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
