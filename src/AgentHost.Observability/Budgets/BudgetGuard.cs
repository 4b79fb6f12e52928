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
/// Decides before each model call whether it may start, from what its scopes have spent so far (the usage ledger's
/// running totals). Run and assistant budgets take the call's worst case (its prompt, all uncached, and its full
/// output allowance, which AgentHost sets from the run's <c>max_completion_tokens</c>). Session, API key and project
/// budgets (a project's: all spending in it this month, whichever key), which gateway clients reach with <c>max_tokens</c> at the model's maximum (Claude Code asks for 32,000 on every
/// call), stop a call only when what is spent plus its prompt already passes the limit: a call that starts within
/// such a budget may pass it by its own output, which is recorded as the call's <c>budget_overshoot</c> trace event,
/// and the next call is stopped.
/// </summary>
internal sealed class BudgetGuard(IUsageLedger ledger, IAgentStore agents, PriceTable prices, ITokenCounter tokens, IOptions<ObservabilityOptions> options, TimeProvider time)
{
    public const string RunUsdKey = "agenthost_budget_usd";
    public const string RunTokensKey = "agenthost_budget_tokens";

    /// <summary>
    /// Throws <see cref="BudgetExceededException"/> when the call may not start; else returns what is left of the
    /// tightest session or API key budget before it (null when neither is set).
    /// </summary>
    public async ValueTask<BudgetHeadroom?> CheckAsync(ModelCallScope scope, string apiKeyId, string model, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions,
        CancellationToken cancellationToken)
    {
        var budgets = options.Value.Budgets;
        var runLimit = scope.RunId is null ? null : FromMetadata(scope.RunMetadata) ?? Set(budgets.Run);
        var sessionLimit = scope.SessionId is null ? null : FromHeaders(scope) ?? Set(budgets.Session);
        var keyLimit = Set(budgets.ApiKey);
        var project = ProjectScope.ForWrite;
        var projectLimit = budgets.Projects.Count > 0 && budgets.Projects.TryGetValue(project, out var own) ? Set(own) : Set(budgets.Project);
        BudgetLimit? assistantLimit = null;
        if (scope.AssistantId is { } assistantId)
        {
            assistantLimit = budgets.Assistants.GetValueOrDefault(assistantId)
                ?? FromMetadata((await agents.GetAssistantAsync(assistantId, cancellationToken))?.Metadata);
        }

        if (runLimit is null && sessionLimit is null && keyLimit is null && projectLimit is null && assistantLimit?.IsSet != true)
        {
            return null;
        }

        var promptTokens = scope.EstimatedPromptTokens ?? PromptTokenEstimate.Prompt(tokens, messages, chatOptions);
        var outputTokens = chatOptions?.MaxOutputTokens ?? budgets.EstimatedOutputTokens;
        var next = new NextCall(promptTokens + (long)outputTokens, NextCallCost(model, promptTokens, outputTokens), "next call up to");
        var start = new NextCall(promptTokens, NextCallCost(model, promptTokens, 0), "next call's prompt");
        var month = SpendScopes.Month(time.GetUtcNow());
        BudgetHeadroom? headroom = null;

        if (runLimit is not null && await OverAsync(runLimit, SpendScopes.Run, scope.RunId!, SpendScopes.Lifetime, next, cancellationToken) is { Over: { } runOver })
        {
            throw new BudgetExceededException("run_budget_exceeded", SpendScopes.Run, $"The next model call could bring the run to {runOver}.");
        }

        // A sub-assistant run inherits its parents' budget (in its metadata): their totals include every child's spend,
        // so the budget covers the whole tree.
        foreach (var parentRunId in runLimit is null ? [] : scope.ParentRunIds)
        {
            if (await OverAsync(runLimit!, SpendScopes.Run, parentRunId, SpendScopes.Lifetime, next, cancellationToken) is { Over: { } treeOver })
            {
                throw new BudgetExceededException("run_budget_exceeded", SpendScopes.Run, $"The next model call could bring the parent run {parentRunId} to {treeOver}.");
            }
        }

        if (assistantLimit?.IsSet == true
            && await OverAsync(assistantLimit, SpendScopes.Assistant, scope.AssistantId!, month, next, cancellationToken) is { Over: { } assistantOver })
        {
            throw new BudgetExceededException("assistant_budget_exceeded", SpendScopes.Assistant,
                $"The next model call could bring assistant {scope.AssistantId} to {assistantOver} this month.");
        }

        if (sessionLimit is not null)
        {
            var (sessionOver, left) = await OverAsync(sessionLimit, SpendScopes.Session, scope.SessionId!, SpendScopes.Lifetime, start, cancellationToken);
            if (sessionOver is not null)
            {
                throw new BudgetExceededException("session_budget_exceeded", SpendScopes.Session,
                    $"AgentHost session budget exceeded: session {scope.SessionId} would start its next model call at {sessionOver}.");
            }

            headroom = left;
        }

        if (keyLimit is not null)
        {
            var (keyOver, left) = await OverAsync(keyLimit, SpendScopes.ApiKey, apiKeyId, month, start, cancellationToken);
            if (keyOver is not null)
            {
                throw new BudgetExceededException("api_key_budget_exceeded", SpendScopes.ApiKey,
                    $"AgentHost API key budget exceeded: the API key would start its next model call at {keyOver} this month.");
            }

            headroom = BudgetHeadroom.Tightest(headroom, left);
        }

        if (projectLimit is not null)
        {
            var (projectOver, left) = await OverAsync(projectLimit, SpendScopes.Project, project, month, start, cancellationToken);
            if (projectOver is not null)
            {
                throw new BudgetExceededException("project_budget_exceeded", SpendScopes.Project,
                    $"AgentHost project budget exceeded: project {project} would start its next model call at {projectOver} this month.");
            }

            headroom = BudgetHeadroom.Tightest(headroom, left);
        }

        return headroom;
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

    /// <summary>Whether <paramref name="next"/> would take the scope past its limit (a message saying by how much), and what it leaves.</summary>
    private async Task<(string? Over, BudgetHeadroom Left)> OverAsync(BudgetLimit limit, string scope, string id, string period, NextCall next, CancellationToken cancellationToken)
    {
        // A session's totals are the current project's: another project using the same session id spends its own.
        var spent = scope == SpendScopes.Session
            ? await ledger.GetSessionSpendAsync(ProjectScope.ForWrite, id, cancellationToken)
            : await ledger.GetSpendAsync(scope, id, period, cancellationToken);
        var spentTokens = spent.InputTokens + spent.OutputTokens;
        var left = new BudgetHeadroom(scope, limit, limit.MaxUsd - spent.CostUsd, limit.MaxTokens - spentTokens);
        if (limit.MaxUsd is { } maxUsd && spent.CostUsd + next.CostUsd > maxUsd)
        {
            return (string.Create(CultureInfo.InvariantCulture,
                $"${spent.CostUsd + next.CostUsd:0.######} (spent ${spent.CostUsd:0.######}, {next.Label} ${next.CostUsd:0.######}), over its budget of ${maxUsd}"), left);
        }

        if (limit.MaxTokens is { } maxTokens && spentTokens + next.Tokens > maxTokens)
        {
            return (string.Create(CultureInfo.InvariantCulture, $"{spentTokens + next.Tokens} tokens (spent {spentTokens}, {next.Label} {next.Tokens}), over its budget of {maxTokens}"), left);
        }

        return (null, left);
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

    private sealed record NextCall(long Tokens, decimal CostUsd, string Label);
}
