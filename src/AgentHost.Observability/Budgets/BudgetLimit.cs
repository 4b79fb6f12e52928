namespace AgentHost.Observability.Budgets;

/// <summary>A money and/or token cap; either may be unset.</summary>
public sealed class BudgetLimit
{
    public decimal? MaxUsd { get; set; }

    /// <summary>Input plus output tokens.</summary>
    public long? MaxTokens { get; set; }

    public bool IsSet => MaxUsd is not null || MaxTokens is not null;
}
