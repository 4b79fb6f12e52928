using AgentHost.Core.Conversations;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Observability.Tracing;
using AgentHost.Server.Http;

namespace AgentHost.Server.Observability.Sessions;

/// <summary>
/// <c>GET /v1/agenthost/sessions</c> (newest activity first, <c>limit</c> and <c>after</c>) and
/// <c>GET /v1/agenthost/sessions/{id}</c> with every call the session made and the Messages threads it held, and
/// <c>…/{id}/trace</c> with their spans.
/// </summary>
internal static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/agenthost/sessions", ListAsync);
        routes.MapGet("/v1/agenthost/sessions/{sessionId}", GetAsync);
        routes.MapGet("/v1/agenthost/sessions/{sessionId}/trace", GetTraceAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IUsageLedger ledger, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http);
        if (query.Before is not null || query.Ascending)
        {
            throw ApiException.Invalid("Sessions are listed most recently active first and paged with 'after' only.", query.Before is not null ? "before" : "order", "invalid_value");
        }

        var sessions = await ledger.ListSessionsAsync(query.Limit + 1, query.After, cancellationToken);
        var page = sessions.Take(query.Limit).Select(s => SessionObject.From(s)).ToList();
        return TypedResults.Json(new ListResponse<SessionObject>("list", page, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id, sessions.Count > query.Limit),
            ObservabilityJsonContext.Default.ListResponseSessionObject);
    }

    private static async Task<IResult> GetTraceAsync(string sessionId, IUsageLedger ledger, ITraceStore traces, TraceWriter writer, CancellationToken cancellationToken)
    {
        _ = await ledger.GetSessionAsync(sessionId, cancellationToken) ?? throw ApiException.NotFound("session", sessionId);
        await writer.FlushAsync(cancellationToken);
        var spans = await traces.GetSessionSpansAsync(sessionId, cancellationToken);
        return TypedResults.Json(new SessionTrace { SessionId = sessionId, Spans = spans }, ObservabilityJsonContext.Default.SessionTrace);
    }

    private static async Task<IResult> GetAsync(string sessionId, IUsageLedger ledger, IMessageThreadStore threads, CancellationToken cancellationToken)
    {
        var session = await ledger.GetSessionAsync(sessionId, cancellationToken) ?? throw ApiException.NotFound("session", sessionId);
        var calls = await ledger.ListSessionCallsAsync(sessionId, cancellationToken);
        var turns = await threads.ListSessionTurnsAsync(Core.Storage.ProjectScope.ForWrite, sessionId, cancellationToken);
        return TypedResults.Json(SessionObject.From(session, calls) with { MessageThreads = SessionMessageThread.Group(turns) },
            ObservabilityJsonContext.Default.SessionObject);
    }
}
