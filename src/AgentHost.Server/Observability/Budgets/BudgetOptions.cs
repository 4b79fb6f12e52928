namespace AgentHost.Server.Observability.Budgets;

/// <summary>
/// Spending limits (<c>AgentHost:Observability:Budgets</c>). A run also takes its own limits from its metadata
/// (<c>agenthost_budget_usd</c>, <c>agenthost_budget_tokens</c>), and an assistant from its metadata the same way.
/// </summary>
public sealed class BudgetOptions
{
    /// <summary>Default limit for every run, when its metadata sets none.</summary>
    public BudgetLimit Run { get; set; } = new();

    /// <summary>Per assistant id, per UTC calendar month.</summary>
    public Dictionary<string, BudgetLimit> Assistants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For the API key (all spending made with it), per UTC calendar month.</summary>
    public BudgetLimit ApiKey { get; set; } = new();

    /// <summary>The output a call is assumed to write when the run sets no <c>max_completion_tokens</c>.</summary>
    public int EstimatedOutputTokens { get; set; } = 4096;
}
