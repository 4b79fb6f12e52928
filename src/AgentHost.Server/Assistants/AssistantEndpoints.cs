using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using AgentHost.Server.Http;
using AgentHost.Server.SubAssistants;
using AgentHost.Server.VectorStores;

namespace AgentHost.Server.Assistants;

/// <summary><c>/v1/assistants</c>: create, list, retrieve, modify (POST), delete.</summary>
internal static class AssistantEndpoints
{
    private static readonly string[] Fields =
        ["model", "name", "description", "instructions", "reasoning_effort", "tools", "tool_resources", "metadata", "temperature", "top_p", "response_format"];

    public static void MapAssistantEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/assistants");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{assistantId}", GetAsync);
        group.MapPost("/{assistantId}", ModifyAsync);
        group.MapDelete("/{assistantId}", DeleteAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, IAgentStore store, VectorStoreService vectorStores, ToolSources sources, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow(Fields);
        var assistant = Apply(request, sources, new Assistant { Id = IdGenerator.Assistant(), CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(), Model = request.RequiredString("model") });
        await SubAssistantChecks.CheckAsync(sources, assistant.Tools, assistant.Id, cancellationToken);
        await using var created = vectorStores.BeginRequest();
        assistant = assistant with { ToolResources = await created.ResolveAsync(request.ToolResources(), cancellationToken) ?? assistant.ToolResources };
        await store.CreateAssistantAsync(assistant, cancellationToken);
        created.Commit();
        return TypedResults.Json(assistant, CoreJsonContext.Default.Assistant);
    }

    private static async Task<IResult> ListAsync(HttpRequest http, IAgentStore store, CancellationToken cancellationToken)
    {
        var page = await store.ListAssistantsAsync(ListQueryReader.Read(http), cancellationToken);
        return TypedResults.Json(ListResponse<Assistant>.From(page, a => a.Id), ServerJsonContext.Default.ListResponseAssistant);
    }

    private static async Task<IResult> GetAsync(string assistantId, IAgentStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(await FindAsync(store, assistantId, cancellationToken), CoreJsonContext.Default.Assistant);

    private static async Task<IResult> ModifyAsync(string assistantId, HttpRequest http, IAgentStore store, VectorStoreService vectorStores, ToolSources sources,
        CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow(Fields);
        var assistant = await FindAsync(store, assistantId, cancellationToken);
        assistant = Apply(request, sources, assistant with { Model = request.String("model") ?? assistant.Model });
        await SubAssistantChecks.CheckAsync(sources, assistant.Tools, assistant.Id, cancellationToken);
        await using var created = vectorStores.BeginRequest();
        assistant = assistant with { ToolResources = await created.ResolveAsync(request.ToolResources(), cancellationToken) ?? assistant.ToolResources };
        await store.UpdateAssistantAsync(assistant, cancellationToken);
        created.Commit();
        return TypedResults.Json(assistant, CoreJsonContext.Default.Assistant);
    }

    private static async Task<IResult> DeleteAsync(string assistantId, IAgentStore store, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAssistantAsync(assistantId, cancellationToken))
        {
            throw ApiException.NotFound("assistant", assistantId);
        }

        return TypedResults.Json(new DeletionStatus(assistantId, "assistant.deleted", true), CoreJsonContext.Default.DeletionStatus);
    }

    private static async Task<Assistant> FindAsync(IAgentStore store, string id, CancellationToken cancellationToken) =>
        await store.GetAssistantAsync(id, cancellationToken) ?? throw ApiException.NotFound("assistant", id);

    /// <summary>Fields present in the request replace the stored ones; explicit nulls clear the nullable ones.</summary>
    private static Assistant Apply(JsonRequest request, ToolSources sources, Assistant assistant) => assistant with
    {
        Name = request.Has("name") ? request.String("name", 256) : assistant.Name,
        Description = request.Has("description") ? request.String("description", 512) : assistant.Description,
        Instructions = request.Has("instructions") ? request.String("instructions", 256_000) : assistant.Instructions,
        ReasoningEffort = request.Has("reasoning_effort") ? request.ReasoningEffort() : assistant.ReasoningEffort,
        Tools = request.Tools(sources) ?? assistant.Tools,
        ToolResources = request.ToolResources()?.Resources ?? assistant.ToolResources,
        Metadata = request.Metadata() ?? assistant.Metadata,
        Temperature = request.Has("temperature") ? request.Number("temperature", 0, 2) ?? 1.0 : assistant.Temperature,
        TopP = request.Has("top_p") ? request.Number("top_p", 0, 1) ?? 1.0 : assistant.TopP,
        ResponseFormat = request.Has("response_format") ? request.ResponseFormat() ?? ResponseFormat.Auto : assistant.ResponseFormat,
    };
}
