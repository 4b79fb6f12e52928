using AgentHost.Core.Conversations;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Json;
using AgentHost.Server.Observability;
using AgentHost.Server.Observability.Sessions;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// AgentHost's view of the Messages threads it holds: <c>GET /v1/agenthost/message_threads/{message_id}</c> (the
/// thread's history up to that reply) and <c>DELETE …</c> (the whole thread; continuing it is then a 404
/// <c>thread_not_found</c>, which the Anthropic SDKs answer by replaying the conversation under a new thread).
/// </summary>
internal static class MessageThreadEndpoints
{
    public static IEndpointRouteBuilder MapMessageThreadEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/agenthost/message_threads/{messageId}", GetAsync);
        routes.MapDelete("/v1/agenthost/message_threads/{messageId}", DeleteAsync);
        return routes;
    }

    private static async Task<IResult> GetAsync(string messageId, IMessageThreadStore threads, CancellationToken cancellationToken)
    {
        var chain = await threads.GetChainAsync(Projects.Default, messageId, cancellationToken) ?? throw ApiException.NotFound("message thread", messageId);
        return TypedResults.Json(SessionMessageThread.Group(chain.Turns)[0], ObservabilityJsonContext.Default.SessionMessageThread);
    }

    private static async Task<IResult> DeleteAsync(string messageId, IMessageThreadStore threads, CancellationToken cancellationToken)
    {
        var chain = await threads.GetChainAsync(Projects.Default, messageId, cancellationToken) ?? throw ApiException.NotFound("message thread", messageId);
        await threads.DeleteThreadAsync(Projects.Default, messageId, cancellationToken);
        return TypedResults.Json(new DeletionStatus(chain.First.ThreadId, "agenthost.message_thread.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }
}
