using System.Runtime.CompilerServices;
using AgentHost.Core.Domain;
using AgentHost.Core.Models;
using AgentHost.Providers.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentHost.Providers.Resilience;

/// <summary>
/// Retries a provider client's transient failures (backoff, or exactly the provider's <c>retry-after</c>), then
/// tries the fallback model once, and turns what is left into <see cref="ModelCallException"/>. A stream is retried
/// only until its first update: after that the caller has output that a second answer could contradict.
/// </summary>
internal sealed partial class ResilientChatClient(
    IChatClient inner,
    ModelTarget target,
    FallbackClient? fallback,
    RetryOptions retry,
    TimeProvider timeProvider,
    IModelCallObserver[] observers,
    ILogger<ResilientChatClient> logger) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        UpstreamFailure failure;
        do
        {
            attempts++;
            var (response, attemptFailure) = await AttemptAsync(InnerClient, messages, WithModel(options, target), cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                return response;
            }

            failure = attemptFailure!;
        }
        while (await WaitToRetryAsync(failure, attempts, cancellationToken).ConfigureAwait(false));

        if (!failure.IsTransient || fallback is null)
        {
            throw Exhausted(failure, attempts, fallbackFailure: null);
        }

        ReportFallback(fallback, failure, attempts);
        var (fallbackResponse, fallbackFailure) = await AttemptAsync(fallback.Client, messages, WithModel(options, fallback.Target), cancellationToken).ConfigureAwait(false);
        return fallbackResponse ?? throw Exhausted(failure, attempts, fallbackFailure);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        StreamAttempt? stream;
        UpstreamFailure? failure;
        do
        {
            attempts++;
            (stream, failure) = await OpenStreamAsync(InnerClient, messages, WithModel(options, target), cancellationToken).ConfigureAwait(false);
        }
        while (stream is null && await WaitToRetryAsync(failure!, attempts, cancellationToken).ConfigureAwait(false));

        var streamTarget = target;
        if (stream is null)
        {
            if (!failure!.IsTransient || fallback is null)
            {
                throw Exhausted(failure, attempts, fallbackFailure: null);
            }

            ReportFallback(fallback, failure, attempts);
            (stream, var fallbackFailure) = await OpenStreamAsync(fallback.Client, messages, WithModel(options, fallback.Target), cancellationToken).ConfigureAwait(false);
            streamTarget = fallback.Target;
            if (stream is null)
            {
                throw Exhausted(failure, attempts, fallbackFailure);
            }
        }

        await using (stream.ConfigureAwait(false))
        {
            var yielded = 0;
            while (stream.HasCurrent)
            {
                yield return stream.Current;
                yielded++;
                try
                {
                    await stream.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var reason = Describe(e, capture: null)?.Description ?? e.Message;
                    throw new ModelCallException(
                        RunErrorCodes.ServerError,
                        $"The {streamTarget} stream ended unexpectedly after {yielded} update(s): {reason}",
                        e);
                }
            }
        }
    }

    // The router owns the provider clients, which several model names share.
    protected override void Dispose(bool disposing)
    {
    }

    private async Task<(ChatResponse? Response, UpstreamFailure? Failure)> AttemptAsync(
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var capture = UpstreamResponseCapture.Begin();
        using var timeout = new CancellationTokenSource(retry.AttemptTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return (await client.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false), null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Describe(e, capture) is { } failure)
        {
            return (null, failure);
        }
    }

    private async Task<(StreamAttempt? Stream, UpstreamFailure? Failure)> OpenStreamAsync(
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var capture = UpstreamResponseCapture.Begin();
        var stream = new StreamAttempt(retry.AttemptTimeout, timeProvider, cancellationToken);
        try
        {
            await stream.StartAsync(client, messages, options).ConfigureAwait(false);
            return (stream, null);
        }
        catch (Exception e)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested || Describe(e, capture) is not { } failure)
            {
                throw;
            }

            return (null, failure);
        }
    }

    /// <summary>Reports and waits out the delay before the next attempt, or returns false when there is none.</summary>
    private async Task<bool> WaitToRetryAsync(UpstreamFailure failure, int attempt, CancellationToken cancellationToken)
    {
        if (!failure.IsTransient || attempt >= retry.MaxAttempts)
        {
            return false;
        }

        var delay = failure.RetryAfter ?? Backoff.Delay(attempt, retry);
        if (delay > retry.MaxDelay)
        {
            LogRetryAfterTooLong(logger, target, delay, retry.MaxDelay);
            return false;
        }

        LogRetrying(logger, target, attempt, failure.Description, delay);
        var retryEvent = new ModelRetryEvent
        {
            Provider = target.Provider,
            Model = target.Model,
            Attempt = attempt,
            Delay = delay,
            StatusCode = failure.StatusCode,
            Reason = failure.Description,
        };
        foreach (var observer in observers)
        {
            observer.OnRetry(retryEvent);
        }

        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void ReportFallback(FallbackClient fallbackClient, UpstreamFailure failure, int attempts)
    {
        LogFallingBack(logger, target, attempts, failure.Description, fallbackClient.Target);
        var fallbackEvent = new ModelFallbackEvent
        {
            Provider = target.Provider,
            Model = target.Model,
            FallbackProvider = fallbackClient.Target.Provider,
            FallbackModel = fallbackClient.Target.Model,
            StatusCode = failure.StatusCode,
            Reason = failure.Description,
        };
        foreach (var observer in observers)
        {
            observer.OnFallback(fallbackEvent);
        }
    }

    private ModelCallException Exhausted(UpstreamFailure failure, int attempts, UpstreamFailure? fallbackFailure)
    {
        var message = $"The {target} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {failure.Description}";
        var last = failure;
        if (fallbackFailure is not null)
        {
            message += $"; its fallback, the {fallback!.Target}, failed too: {fallbackFailure.Description}";
            last = fallbackFailure;
        }

        var code = last.IsRateLimit ? RunErrorCodes.RateLimitExceeded : RunErrorCodes.ServerError;
        return new ModelCallException(code, message, last.Exception);
    }

    // The caller names the model it asked for (perhaps an alias); the provider must be sent the model it serves,
    // and a fallback its own.
    private static ChatOptions? WithModel(ChatOptions? options, ModelTarget modelTarget)
    {
        if (options?.ModelId is null || options.ModelId == modelTarget.Model)
        {
            return options;
        }

        var copy = options.Clone();
        copy.ModelId = modelTarget.Model;
        return copy;
    }

    private UpstreamFailure? Describe(Exception exception, UpstreamResponseCapture? capture) =>
        UpstreamFailure.From(exception, capture, retry.AttemptTimeout, timeProvider.GetUtcNow());

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "The {Target} failed on attempt {Attempt} ({Failure}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, ModelTarget target, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "The {Target} asked to wait {Delay}, longer than RetryOptions.MaxDelay ({MaxDelay}); not retrying")]
    private static partial void LogRetryAfterTooLong(ILogger logger, ModelTarget target, TimeSpan delay, TimeSpan maxDelay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The {Target} failed after {Attempts} attempts ({Failure}); falling back to the {Fallback}")]
    private static partial void LogFallingBack(ILogger logger, ModelTarget target, int attempts, string failure, ModelTarget fallback);
}
