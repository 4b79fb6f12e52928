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

    /// <summary>
    /// A scope's running total in <paramref name="period"/> (<see cref="ScopeSpend.None"/> before its first call), for the
    /// scopes whose ids AgentHost issues and no two projects share (run, assistant, API key, project); a session's
    /// totals are read with <see cref="GetSessionSpendAsync"/>.
    /// </summary>
    Task<ScopeSpend> GetSpendAsync(string scope, string id, string period, CancellationToken cancellationToken);

    /// <summary>
    /// What session <paramref name="sessionId"/> has spent in <paramref name="project"/> over its life. Gateway clients
    /// choose session ids, so two projects may both use one: each project's session has totals of its own.
    /// </summary>
    Task<ScopeSpend> GetSessionSpendAsync(string project, string sessionId, CancellationToken cancellationToken);

    /// <summary>Model-call totals grouped as <paramref name="query"/> asks.</summary>
    Task<IReadOnlyList<UsageTotals>> SumUsageAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Sessions, the most recently active first; <paramref name="after"/> is the last id of the previous page. In a
    /// project (<c>ProjectScope.Current</c>) a session's totals are that project's; with no current project (the
    /// admin) an id is listed once, with the totals of every project that used it.
    /// </summary>
    Task<IReadOnlyList<GatewaySession>> ListSessionsAsync(int limit, string? after, CancellationToken cancellationToken);

    /// <summary>A session with its totals as <see cref="ListSessionsAsync"/> counts them; null when it has no call in view.</summary>
    Task<GatewaySession?> GetSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>A session's calls in the order they started.</summary>
    Task<IReadOnlyList<ModelCallRecord>> ListSessionCallsAsync(string id, CancellationToken cancellationToken);
}
