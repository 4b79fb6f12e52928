using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Server.Http;

namespace AgentHost.Server.Threads;

/// <summary><c>/v1/threads</c>: create (with messages), retrieve, modify (POST), delete.</summary>
internal static class ThreadEndpoints
{
    public static void MapThreadEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/threads");
        group.MapPost("", CreateAsync);
        group.MapGet("/{threadId}", GetAsync);
        group.MapPost("/{threadId}", ModifyAsync);
        group.MapDelete("/{threadId}", DeleteAsync);
    }

    /// <summary>Reads a thread-creation body (also the <c>thread</c> of create-thread-and-run).</summary>
    public static NewThread ReadNewThread(JsonRequest request)
    {
        request.Allow("messages", "tool_resources", "metadata");
        return new NewThread(request.Messages("messages"), request.ToolResources(), request.Metadata());
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, IAgentStore store, RunService runs, CancellationToken cancellationToken)
    {
        var newThread = ReadNewThread(await JsonRequest.ReadAsync(http, cancellationToken));
        var thread = runs.NewThreadOf(newThread);
        await store.CreateThreadAsync(thread, newThread.Messages.Select(m => runs.ToMessage(thread.Id, m)).ToList(), cancellationToken);
        return TypedResults.Json(thread, CoreJsonContext.Default.AssistantThread);
    }

    private static async Task<IResult> GetAsync(string threadId, IAgentStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(await FindAsync(store, threadId, cancellationToken), CoreJsonContext.Default.AssistantThread);

    private static async Task<IResult> ModifyAsync(string threadId, HttpRequest http, IAgentStore store, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("tool_resources", "metadata");
        var thread = await FindAsync(store, threadId, cancellationToken);
        thread = thread with { ToolResources = request.ToolResources() ?? thread.ToolResources, Metadata = request.Metadata() ?? thread.Metadata };
        await store.UpdateThreadAsync(thread, cancellationToken);
        return TypedResults.Json(thread, CoreJsonContext.Default.AssistantThread);
    }

    private static async Task<IResult> DeleteAsync(string threadId, IAgentStore store, CancellationToken cancellationToken)
    {
        if (!await store.DeleteThreadAsync(threadId, cancellationToken))
        {
            throw ApiException.NotFound("thread", threadId);
        }

        return TypedResults.Json(new DeletionStatus(threadId, "thread.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }

    internal static async Task<AssistantThread> FindAsync(IAgentStore store, string id, CancellationToken cancellationToken) =>
        await store.GetThreadAsync(id, cancellationToken) ?? throw ApiException.NotFound("thread", id);
}
