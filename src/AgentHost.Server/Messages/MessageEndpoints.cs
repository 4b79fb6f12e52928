using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Server.Http;
using AgentHost.Server.Threads;

namespace AgentHost.Server.Messages;

/// <summary><c>/v1/threads/{thread_id}/messages</c>: create, list (optionally by run), retrieve, modify, delete.</summary>
internal static class MessageEndpoints
{
    public static void MapMessageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/threads/{threadId}/messages");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{messageId}", GetAsync);
        group.MapPost("/{messageId}", ModifyAsync);
        group.MapDelete("/{messageId}", DeleteAsync);
    }

    private static async Task<IResult> CreateAsync(string threadId, HttpRequest http, RunService runs, CancellationToken cancellationToken)
    {
        var newMessage = (await JsonRequest.ReadAsync(http, cancellationToken)).NewMessage();
        var message = await runs.AddMessageAsync(threadId, newMessage, cancellationToken);
        return TypedResults.Json(message, CoreJsonContext.Default.ThreadMessage);
    }

    private static async Task<IResult> ListAsync(string threadId, HttpRequest http, IAgentStore store, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http);
        await ThreadEndpoints.FindAsync(store, threadId, cancellationToken);
        var runId = http.Query["run_id"].ToString();
        var page = await store.ListMessagesAsync(threadId, query, runId.Length > 0 ? runId : null, cancellationToken);
        return TypedResults.Json(ListResponse<ThreadMessage>.From(page, m => m.Id), ServerJsonContext.Default.ListResponseThreadMessage);
    }

    private static async Task<IResult> GetAsync(string threadId, string messageId, IAgentStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(await FindAsync(store, threadId, messageId, cancellationToken), CoreJsonContext.Default.ThreadMessage);

    private static async Task<IResult> ModifyAsync(string threadId, string messageId, HttpRequest http, IAgentStore store, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("metadata");
        var message = await FindAsync(store, threadId, messageId, cancellationToken);
        message = message with { Metadata = request.Metadata() ?? message.Metadata };
        await store.SaveMessageAsync(message, cancellationToken);
        return TypedResults.Json(message, CoreJsonContext.Default.ThreadMessage);
    }

    private static async Task<IResult> DeleteAsync(string threadId, string messageId, IAgentStore store, CancellationToken cancellationToken)
    {
        await ThreadEndpoints.FindAsync(store, threadId, cancellationToken);
        if (!await store.DeleteMessageAsync(threadId, messageId, cancellationToken))
        {
            throw ApiException.NotFound("message", messageId);
        }

        return TypedResults.Json(new DeletionStatus(messageId, "thread.message.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }

    private static async Task<ThreadMessage> FindAsync(IAgentStore store, string threadId, string messageId, CancellationToken cancellationToken)
    {
        await ThreadEndpoints.FindAsync(store, threadId, cancellationToken);
        return await store.GetMessageAsync(threadId, messageId, cancellationToken) ?? throw ApiException.NotFound("message", messageId);
    }
}
