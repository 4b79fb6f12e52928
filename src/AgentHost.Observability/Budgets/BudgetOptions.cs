namespace AgentHost.Observability.Budgets;

/// <summary>
/// Spending limits (<c>AgentHost:Observability:Budgets</c>). A run also takes its own limits from its metadata
/// (<c>agenthost_budget_usd</c>, <c>agenthost_budget_tokens</c>), an assistant from its metadata the same way, and
/// a gateway session from its request's headers.
/// </summary>
public sealed class BudgetOptions
{
    /// <summary>Default limit for every run, when its metadata sets none.</summary>
    public BudgetLimit Run { get; set; } = new();

    /// <summary>Per assistant id, per UTC calendar month.</summary>
    public Dictionary<string, BudgetLimit> Assistants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Default limit for every gateway session, when its request sets none (<c>x-agenthost-session-budget-usd</c>, <c>…-tokens</c>).</summary>
    public BudgetLimit Session { get; set; } = new();

    /// <summary>For the API key (all spending made with it), per UTC calendar month.</summary>
    public BudgetLimit ApiKey { get; set; } = new();

    /// <summary>For every project (all spending in it, whichever key), per UTC calendar month, unless <see cref="Projects"/> names it.</summary>
    public BudgetLimit Project { get; set; } = new();

    /// <summary>Per project id (<c>proj_…</c>, or <c>default</c>), per UTC calendar month, replacing <see cref="Project"/> for it.</summary>
    public Dictionary<string, BudgetLimit> Projects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The output a call is assumed to write when it sets no output limit.</summary>
    public int EstimatedOutputTokens { get; set; } = 4096;
}
