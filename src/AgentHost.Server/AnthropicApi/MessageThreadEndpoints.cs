using AgentHost.Core.Conversations;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Json;
using AgentHost.Server.Http;
using AgentHost.Server.Observability;
using AgentHost.Server.Observability.Sessions;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// AgentHost's view of the Messages threads it holds: <c>GET /v1/agenthost/message_threads</c> (the most recently
/// continued first, <c>limit</c> and <c>after</c>), <c>GET /v1/agenthost/message_threads/{message_id}</c> (the
/// thread's history up to that reply) and <c>DELETE …</c> (the whole thread; continuing it is then a 404
/// <c>thread_not_found</c>, which the Anthropic SDKs answer by replaying the conversation under a new thread).
/// </summary>
internal static class MessageThreadEndpoints
{
    public static IEndpointRouteBuilder MapMessageThreadEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/agenthost/message_threads", ListAsync);
        routes.MapGet("/v1/agenthost/message_threads/{messageId}", GetAsync);
        routes.MapDelete("/v1/agenthost/message_threads/{messageId}", DeleteAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IMessageThreadStore threads, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http);
        if (query.Before is not null || query.Ascending)
        {
            throw ApiException.Invalid("Message threads are listed most recently continued first and paged with 'after' only.", query.Before is not null ? "before" : "order", "invalid_value");
        }

        var found = await threads.ListThreadsAsync(Core.Storage.ProjectScope.ForWrite, query.Limit + 1, query.After, cancellationToken);
        var page = found.Take(query.Limit).Select(MessageThreadListItem.From).ToList();
        return TypedResults.Json(new ListResponse<MessageThreadListItem>("list", page, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id, found.Count > query.Limit),
            ObservabilityJsonContext.Default.ListResponseMessageThreadListItem);
    }

    private static async Task<IResult> GetAsync(string messageId, IMessageThreadStore threads, CancellationToken cancellationToken)
    {
        var chain = await threads.GetChainAsync(Core.Storage.ProjectScope.ForWrite, messageId, cancellationToken) ?? throw ApiException.NotFound("message thread", messageId);
        return TypedResults.Json(SessionMessageThread.Group(chain.Turns)[0], ObservabilityJsonContext.Default.SessionMessageThread);
    }

    private static async Task<IResult> DeleteAsync(string messageId, IMessageThreadStore threads, CancellationToken cancellationToken)
    {
        var chain = await threads.GetChainAsync(Core.Storage.ProjectScope.ForWrite, messageId, cancellationToken) ?? throw ApiException.NotFound("message thread", messageId);
        await threads.DeleteThreadAsync(Core.Storage.ProjectScope.ForWrite, messageId, cancellationToken);
        return TypedResults.Json(new DeletionStatus(chain.First.ThreadId, "agenthost.message_thread.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }
}
