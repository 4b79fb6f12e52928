using System.Globalization;
using AgentHost.Core.Domain;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.RateLimits;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Observability.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Observability.RateLimits;

/// <summary>
/// Counts model calls and their tokens against the limits that apply (<see cref="RateLimitPolicy"/>) in fixed one-minute
/// windows. A call reserves one request and its estimated tokens (its prompt and its output allowance) on each of its
/// counters in one step; if that passes any limit, the reservation is given back and the call refused with
/// <c>rate_limit_exceeded</c>. When the call ends, its tokens are settled to what it really used.
/// </summary>
internal sealed class RateLimiter(RateLimitPolicy policy, IRateLimitCounter counter, ITokenCounter tokens, IOptions<RateLimitOptions> options, TimeProvider time)
    : IRateLimitStanding
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Reserves the call's request and tokens; null when no limit applies. Throws <see cref="ModelCallException"/> when over a limit.</summary>
    public async ValueTask<RateLimitReservation?> ReserveAsync(string model, ModelCallScope scope, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions,
        CancellationToken cancellationToken)
    {
        var project = ProjectScope.ForWrite;
        var rules = await policy.RulesAsync(project, ProjectScope.KeyId, model, cancellationToken);
        if (rules.Length == 0)
        {
            return null;
        }

        var estimate = (long)(scope.EstimatedPromptTokens ?? PromptTokenEstimate.Prompt(tokens, messages, chatOptions))
            + (chatOptions?.MaxOutputTokens ?? options.Value.EstimatedOutputTokens);
        var now = time.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        var charges = rules.Select(r => new RateLimitCharge(r.Bucket, window, 1, estimate)).ToArray();
        var totals = await counter.AddAsync(charges, cancellationToken);
        for (var i = 0; i < rules.Length; i++)
        {
            if (Refusal(rules[i], totals[i], estimate, model, window, now) is { } refused)
            {
                await counter.AddAsync([.. charges.Select(c => c with { Requests = -c.Requests, Tokens = -c.Tokens })], CancellationToken.None);
                throw new ModelCallException(RunErrorCodes.RateLimitExceeded, refused.Message, refused);
            }
        }

        return new RateLimitReservation(charges, estimate);
    }

    /// <summary>Replaces the call's estimated tokens with <paramref name="usedTokens"/>, unless its window has already passed.</summary>
    public async ValueTask SettleAsync(RateLimitReservation reservation, long usedTokens)
    {
        var delta = usedTokens - reservation.EstimatedTokens;
        if (delta == 0 || time.GetUtcNow().ToUnixTimeSeconds() / 60 != reservation.Charges[0].WindowStart)
        {
            return;
        }

        await counter.AddAsync([.. reservation.Charges.Select(c => c with { Requests = 0, Tokens = delta })], CancellationToken.None);
    }

    /// <summary>
    /// Reads each counter the model's calls are charged to (adding nothing) and reports the most constrained: an
    /// exhausted request limit first, else the one with the fewest tokens left.
    /// </summary>
    public async ValueTask<RateLimitState?> StandingAsync(string model, CancellationToken cancellationToken)
    {
        var rules = await policy.RulesAsync(ProjectScope.ForWrite, ProjectScope.KeyId, model, cancellationToken);
        if (rules.Length == 0)
        {
            return null;
        }

        var window = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var totals = await counter.AddAsync([.. rules.Select(r => new RateLimitCharge(r.Bucket, window, 0, 0))], cancellationToken);
        var reset = DateTimeOffset.FromUnixTimeSeconds((window + 1) * 60);
        return rules
            .Select((rule, i) => new RateLimitState(rule.Requests, Math.Max(0, (rule.Requests ?? 0) - totals[i].Requests), rule.Tokens,
                Math.Max(0, (rule.Tokens ?? 0) - totals[i].Tokens), reset))
            .OrderBy(state => state.RequestsLimit is not null && state.RequestsRemaining == 0 ? 0 : 1)
            .ThenBy(state => state.TokensLimit is null ? long.MaxValue : state.TokensRemaining)
            .First();
    }

    /// <summary>The refusal when <paramref name="total"/> (this call included) passes one of the rule's limits, else null.</summary>
    private static RateLimitExceededException? Refusal(RateLimitRule rule, RateLimitCount total, long estimate, string model, long window, DateTimeOffset now)
    {
        var requestsOver = rule.Requests is { } maxRequests && total.Requests > maxRequests;
        var tokensOver = rule.Tokens is { } maxTokens && total.Tokens > maxTokens;
        if (!requestsOver && !tokensOver)
        {
            return null;
        }

        var reset = DateTimeOffset.FromUnixTimeSeconds((window + 1) * 60);
        var usedRequests = total.Requests - 1;
        var usedTokens = total.Tokens - estimate;
        var state = new RateLimitState(rule.Requests, Math.Max(0, (rule.Requests ?? 0) - usedRequests), rule.Tokens, Math.Max(0, (rule.Tokens ?? 0) - usedTokens), reset);
        var wait = (reset - now).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var message = requestsOver
            ? $"Rate limit reached for {model} in {rule.Owner} on requests per min (RPM): Limit {rule.Requests}, Used {usedRequests}, Requested 1. Please try again in {wait}s."
            : estimate > rule.Tokens
                ? $"Request too large for {model} in {rule.Owner} on tokens per min (TPM): Limit {rule.Tokens}, Requested {estimate}. "
                    + "The input or output tokens must be reduced (a lower max_tokens lowers the reservation) for the request to fit."
                : $"Rate limit reached for {model} in {rule.Owner} on tokens per min (TPM): Limit {rule.Tokens}, Used {usedTokens}, Requested {estimate}. Please try again in {wait}s.";
        return new RateLimitExceededException(message, state);
    }
}
