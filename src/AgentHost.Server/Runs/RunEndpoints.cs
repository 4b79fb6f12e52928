using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.FileSearch;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using AgentHost.Server.Http;
using AgentHost.Server.SubAssistants;
using AgentHost.Server.Threads;
using AgentHost.Server.VectorStores;

namespace AgentHost.Server.Runs;

/// <summary>Runs and their steps, under <c>/v1/threads</c>; with <c>stream: true</c> the run is watched live over SSE.</summary>
internal static class RunEndpoints
{
    private static readonly string[] RunFields =
    [
        "assistant_id", "model", "reasoning_effort", "instructions", "additional_instructions", "additional_messages", "tools", "metadata",
        "temperature", "top_p", "stream", "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice",
        "parallel_tool_calls", "response_format",
    ];

    private static readonly string[] ThreadAndRunFields =
    [
        "assistant_id", "thread", "model", "instructions", "tools", "tool_resources", "metadata", "temperature", "top_p", "stream",
        "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice", "parallel_tool_calls", "response_format",
    ];

    public static void MapRunEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/threads/runs", CreateThreadAndRunAsync);
        var group = routes.MapGroup("/v1/threads/{threadId}/runs");
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{runId}", GetAsync);
        group.MapPost("/{runId}", ModifyAsync);
        group.MapPost("/{runId}/cancel", CancelAsync);
        group.MapPost("/{runId}/submit_tool_outputs", SubmitToolOutputsAsync);
        group.MapGet("/{runId}/steps", ListStepsAsync);
        group.MapGet("/{runId}/steps/{stepId}", GetStepAsync);
    }

    private static async Task<IResult> CreateAsync(string threadId, HttpContext http, RunService runs, RunEventHub hub, ToolSources sources, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow(RunFields);
        var runRequest = ReadRunRequest(request, sources) with { AdditionalMessages = request.Messages("additional_messages") };
        await SubAssistantChecks.CheckAsync(sources, runRequest.Tools, runRequest.AssistantId, cancellationToken);
        var runId = IdGenerator.Run();
        if (request.Boolean("stream") != true)
        {
            var created = await runs.CreateRunAsync(threadId, runRequest, runId, cancellationToken);
            runs.Start(runId);
            return TypedResults.Json(created, CoreJsonContext.Default.ThreadRun);
        }

        using var subscription = hub.Subscribe(runId);
        var run = await runs.CreateRunAsync(threadId, runRequest, runId, cancellationToken);
        var stream = new EventStream(http.Response, FileSearchStepView.Includes(http.Request.Query["include[]"]));
        await stream.StartAsync();
        stream.WriteRun(run, "thread.run.created", "thread.run.queued");
        runs.Start(runId);
        await stream.RelayAsync(subscription, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> CreateThreadAndRunAsync(HttpContext http, RunService runs, RunEventHub hub, VectorStoreService vectorStores, ToolSources sources,
        CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow(ThreadAndRunFields);
        var runResources = request.ToolResources();
        var runRequest = ReadRunRequest(request, sources);
        await SubAssistantChecks.CheckAsync(sources, runRequest.Tools, runRequest.AssistantId, cancellationToken);
        var (newThread, threadResources) = request.Object("thread") is { } thread ? ThreadEndpoints.ReadNewThread(thread) : (new NewThread([], null, null), null);

        // Helper vector stores are created last, after every field is read, and deleted again if the run is refused.
        await using var created = vectorStores.BeginRequest();
        newThread = newThread with { ToolResources = await created.ResolveAsync(threadResources, cancellationToken) };
        runRequest = runRequest with { ToolResources = await created.ResolveAsync(runResources, cancellationToken) };
        var runId = IdGenerator.Run();
        if (request.Boolean("stream") != true)
        {
            var (_, createdRun) = await runs.CreateThreadAndRunAsync(newThread, runRequest, runId, cancellationToken);
            created.Commit();
            runs.Start(runId);
            return TypedResults.Json(createdRun, CoreJsonContext.Default.ThreadRun);
        }

        using var subscription = hub.Subscribe(runId);
        var (newlyCreated, run) = await runs.CreateThreadAndRunAsync(newThread, runRequest, runId, cancellationToken);
        created.Commit();
        var stream = new EventStream(http.Response);
        await stream.StartAsync();
        stream.WriteThreadCreated(newlyCreated);
        stream.WriteRun(run, "thread.run.created", "thread.run.queued");
        runs.Start(runId);
        await stream.RelayAsync(subscription, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> SubmitToolOutputsAsync(string threadId, string runId, HttpContext http, RunService runs, RunEventHub hub, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow("tool_outputs", "stream");
        var outputs = new List<ToolOutput>();
        var index = 0;
        foreach (var element in request.Array("tool_outputs") ?? throw ApiException.Invalid("Missing required parameter: 'tool_outputs'.", "tool_outputs", "missing_required_parameter"))
        {
            var output = request.Item(element, "tool_outputs", index++).Allow("tool_call_id", "output");
            outputs.Add(new ToolOutput(output.RequiredString("tool_call_id"), output.String("output") ?? string.Empty));
        }

        if (request.Boolean("stream") != true)
        {
            var (resumed, _) = await runs.SubmitToolOutputsAsync(threadId, runId, outputs, cancellationToken);
            runs.Start(runId);
            return TypedResults.Json(resumed, CoreJsonContext.Default.ThreadRun);
        }

        using var subscription = hub.Subscribe(runId);
        var (run, step) = await runs.SubmitToolOutputsAsync(threadId, runId, outputs, cancellationToken);
        var stream = new EventStream(http.Response);
        await stream.StartAsync();
        if (step.Status == StepStatus.Completed)
        {
            // A step with approved calls still to run is completed by the executor, which publishes it then.
            stream.WriteStep("thread.run.step.completed", step);
        }

        stream.WriteRun(run, "thread.run.queued");
        runs.Start(runId);
        await stream.RelayAsync(subscription, cancellationToken);
        return Results.Empty;
    }

    private static async Task<IResult> ListAsync(string threadId, HttpRequest http, IAgentStore store, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http);
        await ThreadEndpoints.FindAsync(store, threadId, cancellationToken);
        var page = await store.ListRunsAsync(threadId, query, cancellationToken);
        return TypedResults.Json(ListResponse<ThreadRun>.From(page, r => r.Id), ServerJsonContext.Default.ListResponseThreadRun);
    }

    private static async Task<IResult> GetAsync(string threadId, string runId, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Json(await runs.GetRunAsync(threadId, runId, cancellationToken), CoreJsonContext.Default.ThreadRun);

    private static async Task<IResult> ModifyAsync(string threadId, string runId, HttpRequest http, RunService runs, IAgentStore store, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http, cancellationToken)).Allow("metadata");
        var metadata = request.Metadata();
        while (true)
        {
            var run = await runs.GetRunAsync(threadId, runId, cancellationToken);
            var modified = run with { Metadata = metadata ?? run.Metadata };
            if (await store.TryUpdateRunAsync(modified, run.Status, cancellationToken))
            {
                return TypedResults.Json(modified, CoreJsonContext.Default.ThreadRun);
            }
        }
    }

    private static async Task<IResult> CancelAsync(string threadId, string runId, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Json(await runs.CancelRunAsync(threadId, runId, cancellationToken), CoreJsonContext.Default.ThreadRun);

    private static async Task<IResult> ListStepsAsync(string threadId, string runId, HttpRequest http, RunService runs, IAgentStore store, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http);
        await runs.GetRunAsync(threadId, runId, cancellationToken);
        var page = await store.ListStepsAsync(threadId, runId, query, cancellationToken);
        var include = FileSearchStepView.Includes(http.Query["include[]"]);
        page = new Page<RunStep>([.. page.Data.Select(s => FileSearchStepView.ForClient(s, include))], page.HasMore);
        return TypedResults.Json(ListResponse<RunStep>.From(page, s => s.Id), ServerJsonContext.Default.ListResponseRunStep);
    }

    private static async Task<IResult> GetStepAsync(string threadId, string runId, string stepId, HttpRequest http, IAgentStore store, CancellationToken cancellationToken)
    {
        var step = await store.GetStepAsync(threadId, runId, stepId, cancellationToken) ?? throw ApiException.NotFound("run step", stepId);
        return TypedResults.Json(FileSearchStepView.ForClient(step, FileSearchStepView.Includes(http.Query["include[]"])), CoreJsonContext.Default.RunStep);
    }

    private static RunRequest ReadRunRequest(JsonRequest request, ToolSources sources) => new()
    {
        AssistantId = request.RequiredString("assistant_id"),
        Model = request.String("model"),
        Instructions = request.String("instructions", 256_000),
        AdditionalInstructions = request.String("additional_instructions"),
        Tools = request.Tools(sources),
        Metadata = request.Metadata(),
        Temperature = request.Number("temperature", 0, 2),
        TopP = request.Number("top_p", 0, 1),
        ReasoningEffort = request.ReasoningEffort(),
        MaxPromptTokens = request.Integer("max_prompt_tokens", 256),
        MaxCompletionTokens = request.Integer("max_completion_tokens", 256),
        TruncationStrategy = request.Truncation(),
        ToolChoice = request.ToolChoice(),
        ParallelToolCalls = request.Boolean("parallel_tool_calls"),
        ResponseFormat = request.ResponseFormat(),
    };
}
