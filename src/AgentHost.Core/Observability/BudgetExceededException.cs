namespace AgentHost.Core.Observability;

/// <summary>
/// A budget stopped a model call before it was made: the call could have taken its scope past a limit. A run
/// ends <c>incomplete</c> with <see cref="Reason"/>; a gateway call is answered 400 in its API's error shape (never
/// 429 or 5xx, which SDKs retry).
/// </summary>
public sealed class BudgetExceededException(string reason, string scope, string message) : Exception(message)
{
    /// <summary>The run's <c>incomplete_details.reason</c>, e.g. <c>run_budget_exceeded</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Which budget: <c>run</c>, <c>assistant</c>, <c>session</c> or <c>api_key</c>.</summary>
    public string Scope { get; } = scope;
}
