using System.Globalization;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Observability.Costs;
using AgentHost.Observability.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Observability.Budgets;

/// <summary>
/// Decides before each model call whether it could overrun a budget: what its scopes have spent so far (the usage
/// ledger's running totals) plus the call's worst case (its prompt, all uncached, and its full output allowance)
/// against the run's, the assistant's, the session's and the API key's limits.
/// </summary>
internal sealed class BudgetGuard(IUsageLedger ledger, IAgentStore agents, PriceTable prices, ITokenCounter tokens, IOptions<ObservabilityOptions> options, TimeProvider time)
{
    public const string RunUsdKey = "agenthost_budget_usd";
    public const string RunTokensKey = "agenthost_budget_tokens";

    /// <summary>Throws <see cref="BudgetExceededException"/> when the call could take a scope past its limit.</summary>
    public async ValueTask CheckAsync(ModelCallScope scope, string apiKeyId, string model, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions,
        CancellationToken cancellationToken)
    {
        var budgets = options.Value.Budgets;
        var runLimit = scope.RunId is null ? null : FromMetadata(scope.RunMetadata) ?? Set(budgets.Run);
        var sessionLimit = scope.SessionId is null ? null : FromHeaders(scope) ?? Set(budgets.Session);
        var keyLimit = Set(budgets.ApiKey);
        BudgetLimit? assistantLimit = null;
        if (scope.AssistantId is { } assistantId)
        {
            assistantLimit = budgets.Assistants.GetValueOrDefault(assistantId)
                ?? FromMetadata((await agents.GetAssistantAsync(assistantId, cancellationToken))?.Metadata);
        }

        if (runLimit is null && sessionLimit is null && keyLimit is null && assistantLimit?.IsSet != true)
        {
            return;
        }

        var promptTokens = scope.EstimatedPromptTokens ?? PromptTokenEstimate.Prompt(tokens, messages, chatOptions);
        var outputTokens = chatOptions?.MaxOutputTokens ?? budgets.EstimatedOutputTokens;
        var next = new NextCall(promptTokens + (long)outputTokens, NextCallCost(model, promptTokens, outputTokens));
        var month = SpendScopes.Month(time.GetUtcNow());

        if (runLimit is not null && await OverAsync(runLimit, SpendScopes.Run, scope.RunId!, SpendScopes.Lifetime, next, cancellationToken) is { } runOver)
        {
            throw new BudgetExceededException("run_budget_exceeded", SpendScopes.Run, $"The next model call could bring the run to {runOver}.");
        }

        if (assistantLimit?.IsSet == true
            && await OverAsync(assistantLimit, SpendScopes.Assistant, scope.AssistantId!, month, next, cancellationToken) is { } assistantOver)
        {
            throw new BudgetExceededException("assistant_budget_exceeded", SpendScopes.Assistant,
                $"The next model call could bring assistant {scope.AssistantId} to {assistantOver} this month.");
        }

        if (sessionLimit is not null
            && await OverAsync(sessionLimit, SpendScopes.Session, scope.SessionId!, SpendScopes.Lifetime, next, cancellationToken) is { } sessionOver)
        {
            throw new BudgetExceededException("session_budget_exceeded", SpendScopes.Session,
                $"AgentHost session budget exceeded: the next model call could bring session {scope.SessionId} to {sessionOver}.");
        }

        if (keyLimit is not null && await OverAsync(keyLimit, SpendScopes.ApiKey, apiKeyId, month, next, cancellationToken) is { } keyOver)
        {
            throw new BudgetExceededException("api_key_budget_exceeded", SpendScopes.ApiKey,
                $"AgentHost API key budget exceeded: the next model call could bring the API key to {keyOver} this month.");
        }
    }

    /// <summary>The call's worst case: the whole prompt at the uncached input price, the whole output allowance.</summary>
    public decimal NextCallCost(string model, long promptTokens, long outputTokens)
    {
        if (prices.Find(model) is not { } priced)
        {
            return 0m;
        }

        var (input, _, _, output) = PriceTable.Rates(PriceTable.PriceOn(priced, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)), promptTokens);
        return ((promptTokens * input) + (outputTokens * output)) / 1_000_000m;
    }

    private async Task<string?> OverAsync(BudgetLimit limit, string scope, string id, string period, NextCall next, CancellationToken cancellationToken)
    {
        var spent = await ledger.GetSpendAsync(scope, id, period, cancellationToken);
        var spentTokens = spent.InputTokens + spent.OutputTokens;
        if (limit.MaxUsd is { } maxUsd && spent.CostUsd + next.CostUsd > maxUsd)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"${spent.CostUsd + next.CostUsd:0.######} (spent ${spent.CostUsd:0.######}, next call up to ${next.CostUsd:0.######}), over its budget of ${maxUsd}");
        }

        if (limit.MaxTokens is { } maxTokens && spentTokens + next.Tokens > maxTokens)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{spentTokens + next.Tokens} tokens (spent {spentTokens}, next call up to {next.Tokens}), over its budget of {maxTokens}");
        }

        return null;
    }

    private static BudgetLimit? Set(BudgetLimit limit) => limit.IsSet ? limit : null;

    private static BudgetLimit? FromHeaders(ModelCallScope scope) =>
        scope.SessionBudgetUsd is null && scope.SessionBudgetTokens is null
            ? null
            : new BudgetLimit { MaxUsd = scope.SessionBudgetUsd, MaxTokens = scope.SessionBudgetTokens };

    private static BudgetLimit? FromMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var limit = new BudgetLimit
        {
            MaxUsd = metadata.TryGetValue(RunUsdKey, out var usd) && decimal.TryParse(usd, NumberStyles.Number, CultureInfo.InvariantCulture, out var u) ? u : null,
            MaxTokens = metadata.TryGetValue(RunTokensKey, out var tokens) && long.TryParse(tokens, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : null,
        };
        return limit.IsSet ? limit : null;
    }

    private sealed record NextCall(long Tokens, decimal CostUsd);
}
