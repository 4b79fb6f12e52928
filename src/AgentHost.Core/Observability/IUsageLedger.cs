namespace AgentHost.Core.Observability;

/// <summary>
/// Every model call's tokens and cost, written as the call ends, with running totals per run, session, assistant
/// and API key (<see cref="SpendScopes"/>). Budgets, a run's <c>cost</c>, usage reports and sessions read it; it
/// does not depend on tracing, so budgets hold with tracing off and after a crash.
/// </summary>
public interface IUsageLedger
{
    /// <summary>Adds the call and its spend to its scopes' totals, in one transaction.</summary>
    Task RecordAsync(ModelCallRecord call, CancellationToken cancellationToken);

    /// <summary>A scope's running total in <paramref name="period"/> (<see cref="ScopeSpend.None"/> before its first call).</summary>
    Task<ScopeSpend> GetSpendAsync(string scope, string id, string period, CancellationToken cancellationToken);

    /// <summary>Model-call totals grouped as <paramref name="query"/> asks.</summary>
    Task<IReadOnlyList<UsageTotals>> SumUsageAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>Sessions, the most recently active first; <paramref name="after"/> is the last id of the previous page.</summary>
    Task<IReadOnlyList<GatewaySession>> ListSessionsAsync(int limit, string? after, CancellationToken cancellationToken);

    Task<GatewaySession?> GetSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>A session's calls in the order they started.</summary>
    Task<IReadOnlyList<ModelCallRecord>> ListSessionCallsAsync(string id, CancellationToken cancellationToken);
}
