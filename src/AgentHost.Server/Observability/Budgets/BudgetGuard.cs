using System.Globalization;
using AgentHost.Core.Domain;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using AgentHost.Server.Observability.Costs;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Observability.Budgets;

/// <summary>
/// Decides before each model call whether it could overrun a budget: what was spent so far plus the call's
/// worst case (its prompt, all uncached, and its full output allowance) against the run's, the assistant's and the
/// API key's limits.
/// </summary>
internal sealed class BudgetGuard(ITraceStore traces, IAgentStore agents, PriceTable prices, IOptions<ObservabilityOptions> options, TimeProvider time)
{
    public const string RunUsdKey = "agenthost_budget_usd";
    public const string RunTokensKey = "agenthost_budget_tokens";

    public async Task<BudgetStop?> CheckAsync(ThreadRun run, int promptTokens, int? maxOutputTokens, string apiKeyId, CancellationToken cancellationToken)
    {
        var budgets = options.Value.Budgets;
        var outputTokens = maxOutputTokens ?? budgets.EstimatedOutputTokens;
        var next = new NextCall(promptTokens + (long)outputTokens, NextCallCost(run.Model, promptTokens, outputTokens));

        var runLimit = FromMetadata(run.Metadata) ?? budgets.Run;
        if (runLimit.IsSet && await OverAsync(runLimit, new UsageQuery { RunId = run.Id }, next, cancellationToken) is { } runOver)
        {
            return new BudgetStop("run_budget_exceeded", "run", $"The next model call could bring the run to {runOver}.");
        }

        var monthStart = MonthStart();
        var assistantLimit = budgets.Assistants.GetValueOrDefault(run.AssistantId)
            ?? FromMetadata((await agents.GetAssistantAsync(run.AssistantId, cancellationToken))?.Metadata);
        if (assistantLimit?.IsSet == true
            && await OverAsync(assistantLimit, new UsageQuery { AssistantId = run.AssistantId, StartMs = monthStart }, next, cancellationToken) is { } assistantOver)
        {
            return new BudgetStop("assistant_budget_exceeded", "assistant", $"The next model call could bring assistant {run.AssistantId} to {assistantOver} this month.");
        }

        if (budgets.ApiKey.IsSet
            && await OverAsync(budgets.ApiKey, new UsageQuery { ApiKeyId = apiKeyId, StartMs = monthStart }, next, cancellationToken) is { } keyOver)
        {
            return new BudgetStop("api_key_budget_exceeded", "api_key", $"The next model call could bring the API key to {keyOver} this month.");
        }

        return null;
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

    private async Task<string?> OverAsync(BudgetLimit limit, UsageQuery query, NextCall next, CancellationToken cancellationToken)
    {
        var spent = (await traces.SumUsageAsync(query, cancellationToken)).FirstOrDefault();
        var spentUsd = spent?.CostUsd ?? 0m;
        var spentTokens = (spent?.InputTokens ?? 0) + (spent?.OutputTokens ?? 0);
        if (limit.MaxUsd is { } maxUsd && spentUsd + next.CostUsd > maxUsd)
        {
            return string.Create(CultureInfo.InvariantCulture, $"${spentUsd + next.CostUsd:0.######} (spent ${spentUsd:0.######}, next call up to ${next.CostUsd:0.######}), over its budget of ${maxUsd}");
        }

        if (limit.MaxTokens is { } maxTokens && spentTokens + next.Tokens > maxTokens)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{spentTokens + next.Tokens} tokens (spent {spentTokens}, next call up to {next.Tokens}), over its budget of {maxTokens}");
        }

        return null;
    }

    private long MonthStart()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

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
