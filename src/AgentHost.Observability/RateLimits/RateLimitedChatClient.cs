using System.Runtime.CompilerServices;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.RateLimits;

/// <summary>
/// The outermost layer of the model-call pipeline: a call under a rate limit reserves its request and tokens before it
/// starts (or is refused with <c>rate_limit_exceeded</c>, before anything else sees it) and settles its tokens from the
/// usage the provider reported when it ends. A call under no limit passes straight through.
/// </summary>
internal sealed class RateLimitedChatClient(IChatClient inner, string model, RateLimiter limiter) : DelegatingChatClient(inner)
{
    private static readonly ModelCallScope Unscoped = new() { EntryPoint = ModelCallEntryPoints.Direct };

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var sent = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var reservation = await limiter.ReserveAsync(model, ModelCallScope.Of(options) ?? Unscoped, sent, options, cancellationToken);
        if (reservation is null)
        {
            return await base.GetResponseAsync(sent, options, cancellationToken);
        }

        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(sent, options, cancellationToken);
        }
        catch
        {
            await limiter.SettleAsync(reservation, 0);
            throw;
        }

        await limiter.SettleAsync(reservation, Used(response.Usage) ?? reservation.EstimatedTokens);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sent = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var reservation = await limiter.ReserveAsync(model, ModelCallScope.Of(options) ?? Unscoped, sent, options, cancellationToken);
        if (reservation is null)
        {
            await foreach (var update in base.GetStreamingResponseAsync(sent, options, cancellationToken))
            {
                yield return update;
            }

            yield break;
        }

        long? used = null;
        var finished = false;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(sent, options, cancellationToken))
            {
                foreach (var content in update.Contents)
                {
                    // The last usage a provider reports covers the whole call, as the recorder reads it.
                    if (content is UsageContent usage && Used(usage.Details) is { } tokens)
                    {
                        used = tokens;
                    }
                }

                yield return update;
            }

            finished = true;
        }
        finally
        {
            // A call that failed, or was left before it ended, is charged what it reported (nothing, if it reported nothing).
            await limiter.SettleAsync(reservation, used ?? (finished ? reservation.EstimatedTokens : 0));
        }
    }

    private static long? Used(UsageDetails? usage) =>
        usage is null || (usage.InputTokenCount is null && usage.OutputTokenCount is null) ? null : (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
}
