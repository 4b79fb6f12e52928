using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Server.Http;
using AgentHost.Server.VectorStores;

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

    /// <summary>Reads a thread-creation body (also the <c>thread</c> of create-thread-and-run); a helper vector store is still to be created.</summary>
    public static (NewThread Thread, RequestedToolResources? ToolResources) ReadNewThread(JsonRequest request)
    {
        request.Allow("messages", "tool_resources", "metadata");
        var toolResources = request.ToolResources();
        return (new NewThread(request.Messages("messages"), toolResources?.Resources, request.Metadata()), toolResources);
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, IAgentStore store, RunService runs, VectorStoreService vectorStores, CancellationToken cancellationToken)
    {
        var (newThread, toolResources) = ReadNewThread(await JsonRequest.ReadAsync(http, cancellationToken));
        await using var created = vectorStores.BeginRequest();
        newThread = newThread with { ToolResources = await created.ResolveAsync(toolResources, cancellationToken) };
        var thread = runs.NewThreadOf(newThread);
        await store.CreateThreadAsync(thread, newThread.Messages.Select(m => runs.ToMessage(thread.Id, m)).ToList(), cancellationToken);
        created.Commit();
        return TypedResults.Json(thread, CoreJsonContext.Default.AssistantThread);
    }

    private static async Task<IResult> GetAsync(string threadId, IAgentStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(await FindAsync(store, threadId, cancellationToken), CoreJsonContext.Default.AssistantThread);

    private static async Task<IResult> ModifyAsync(string threadId, HttpRequest http, IAgentStore store, VectorStoreService vectorStores, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("tool_resources", "metadata");
        var toolResources = request.ToolResources();
        var metadata = request.Metadata();
        var thread = await FindAsync(store, threadId, cancellationToken);
        await using var created = vectorStores.BeginRequest();
        thread = thread with { ToolResources = await created.ResolveAsync(toolResources, cancellationToken) ?? thread.ToolResources, Metadata = metadata ?? thread.Metadata };
        await store.UpdateThreadAsync(thread, cancellationToken);
        created.Commit();
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
