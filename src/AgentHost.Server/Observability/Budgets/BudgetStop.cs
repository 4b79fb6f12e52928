namespace AgentHost.Server.Observability.Budgets;

/// <summary>Why a run stops: the <c>incomplete_details.reason</c>, the budget's scope and a sentence for people.</summary>
internal sealed record BudgetStop(string Reason, string Scope, string Message);
