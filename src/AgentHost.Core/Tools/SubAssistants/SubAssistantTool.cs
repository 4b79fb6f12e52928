using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools.SubAssistants;

/// <summary>
/// The <c>assistant</c> tool (an AgentHost extension): another assistant as a tool. The model sees a function named
/// after it taking a <c>task</c>; a call runs that assistant on a new thread, linked to the calling run, inline in the
/// caller's execution (so it never waits for a worker slot), and its answer — or its error — is the call's output.
/// The child's spend counts toward the parent's <c>cost</c> and budget; cancelling the parent cancels the child.
/// </summary>
/// <remarks>
/// Built over a service provider because the engine it runs children with itself depends on the tool sources; every
/// service is resolved when first used.
/// </remarks>
public sealed class SubAssistantTool(IServiceProvider services, SubAssistantOptions options) : IToolSource
{
    public const string ToolType = "assistant";

    /// <summary>Thread and run metadata linking a child to the run and call that started it.</summary>
    public const string ParentRunKey = "agenthost_parent_run";
    public const string ParentThreadKey = "agenthost_parent_thread";
    public const string ParentCallKey = "agenthost_parent_call";
    private const string AssistantPathKey = "agenthost_assistant_path";

    private static readonly JsonElement Parameters = JsonDocument.Parse("""
        {"type":"object","properties":{"task":{"type":"string","description":"The task, with everything the assistant needs to do it: it sees nothing else of this conversation."}},"required":["task"]}
        """).RootElement.Clone();

    public IReadOnlyCollection<string> Types { get; } = [ToolType];

    public ToolDefinition Validate(ToolDefinition definition, string parameter)
    {
        var unknown = definition.Settings?.Keys.FirstOrDefault(k => k != "assistant_id");
        if (unknown is not null)
        {
            throw ApiException.Invalid($"Unknown parameter: '{parameter}.{unknown}'. An assistant tool takes only 'assistant_id'.", $"{parameter}.{unknown}");
        }

        if (definition.Setting("assistant_id") is not { ValueKind: JsonValueKind.String } id || !(id.GetString() ?? string.Empty).StartsWith("asst_", StringComparison.Ordinal))
        {
            throw ApiException.Invalid($"Missing or invalid '{parameter}.assistant_id': an assistant tool names the assistant to call, e.g. \"asst_…\".", $"{parameter}.assistant_id");
        }

        return definition;
    }

    /// <summary>
    /// Checks the assistant tools of <paramref name="tools"/> against the store: each names an existing assistant other
    /// than <paramref name="selfId"/> that has no <c>function</c> tools (their outputs cannot reach a child run yet).
    /// </summary>
    public async Task CheckAsync(IReadOnlyList<ToolDefinition> tools, string? selfId, string field, CancellationToken cancellationToken)
    {
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i].Type != ToolType)
            {
                continue;
            }

            var parameter = $"{field}[{i}].assistant_id";
            var id = AssistantIdOf(tools[i]);
            if (id == selfId)
            {
                throw ApiException.Invalid($"'{parameter}': an assistant cannot be its own sub-assistant.", parameter);
            }

            var sub = await Store.GetAssistantAsync(id, cancellationToken) ?? throw ApiException.NotFound("assistant", id, parameter);
            if (sub.Tools.Any(t => t.Type == ToolTypes.Function))
            {
                throw ApiException.Invalid(
                    $"'{parameter}': assistant {id} has function tools, which a sub-assistant cannot use yet (their calls cannot reach the client through the parent run).",
                    parameter);
            }
        }
    }

    public async ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken)
    {
        var id = AssistantIdOf(definition);
        var sub = await Store.GetAssistantAsync(id, cancellationToken);
        var description = sub is null
            ? $"Delegates a task to assistant {id}."
            : $"Delegates a task to the assistant '{sub.Name ?? sub.Id}', which answers with its result." + (string.IsNullOrEmpty(sub.Description) ? string.Empty : " " + sub.Description);
        return [AIFunctionFactory.CreateDeclaration(FunctionNameOf(sub, id), description, Parameters)];
    }

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var parent = invocation.Run;
        var id = AssistantIdOf(invocation.Definition);
        var task = TaskOf(invocation.Arguments);
        var record = new SubAssistantCall { AssistantId = id, Name = invocation.Name, Task = task ?? string.Empty };
        var parents = ModelCallScope.ParentRunsOf(parent);
        var path = parent.Metadata.TryGetValue(AssistantPathKey, out var p) ? p.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        string? refusal = null;
        if (string.IsNullOrEmpty(task))
        {
            refusal = "the call needs a non-empty 'task'.";
        }
        else if (parents.Count + 1 > options.MaxDepth)
        {
            refusal = $"sub-assistants may nest {options.MaxDepth} deep (AgentHost:SubAssistants:MaxDepth); this call would be {parents.Count + 1} deep.";
        }
        else if (id == parent.AssistantId || path.Contains(id, StringComparer.Ordinal))
        {
            refusal = $"assistant {id} is already running above this call; sub-assistants may not call back into their own chain.";
        }
        else if (await Store.GetAssistantAsync(id, cancellationToken) is not { } sub)
        {
            refusal = $"assistant {id} no longer exists.";
        }
        else if (sub.Tools.Any(t => t.Type == ToolTypes.Function))
        {
            refusal = $"assistant {id} has function tools, which a sub-assistant cannot use.";
        }

        if (refusal is not null)
        {
            return new ToolCallOutcome(Record(invocation.CallId, record with { Status = RunStatus.Failed, Error = refusal }));
        }

        var child = await StartChildAsync(invocation, id, task!, [.. parents, parent.Id], [.. path, parent.AssistantId], cancellationToken);
        await ShowRunningAsync(invocation, record with { ThreadId = child.ThreadId, RunId = child.Id, Status = child.Status }, cancellationToken);
        var ended = await RunChildAsync(child, cancellationToken);
        record = record with { ThreadId = child.ThreadId, RunId = child.Id, Status = ended.Status };
        if (ended.Status == RunStatus.Completed)
        {
            var messages = await Store.GetThreadMessagesAsync(child.ThreadId, CancellationToken.None);
            var answer = messages.LastOrDefault(m => m.RunId == child.Id && m.Role == MessageRoles.Assistant);
            return new ToolCallOutcome(Record(invocation.CallId, record with { Output = string.Concat(answer?.Content.Select(c => c.Text?.Value) ?? []) }));
        }

        var why = ended.LastError?.Message ?? ended.IncompleteDetails?.Reason ?? ended.Status;
        return new ToolCallOutcome(Record(invocation.CallId, record with { Error = $"the sub-assistant run {child.Id} ended {ended.Status}: {why}" }));
    }

    public ToolCallView Describe(StepToolCall call)
    {
        var record = call.Details is { } details ? details.Deserialize(SubAssistantJsonContext.Default.SubAssistantCall) : null;
        var arguments = new JsonObject { ["task"] = record?.Task ?? string.Empty }.ToJsonString();
        return record?.Error is { } error
            ? new ToolCallView(record.Name, arguments, "Error: " + error) { IsError = true }
            : new ToolCallView(record?.Name ?? ToolType, arguments, record?.Output ?? string.Empty);
    }

    /// <summary>
    /// Puts the call, with its child's thread and run, in the parent's step while the child runs, so the child can be
    /// followed (and the link survives a cancelled parent); the step's final record replaces it.
    /// </summary>
    private async Task ShowRunningAsync(ToolInvocation invocation, SubAssistantCall running, CancellationToken cancellationToken)
    {
        if (await Store.GetStepAsync(invocation.Run.ThreadId, invocation.Run.Id, invocation.StepId, cancellationToken) is not { } step)
        {
            return;
        }

        var earlier = (step.StepDetails.ToolCalls ?? []).Take(invocation.Index);
        await Store.SaveStepAsync(step with { StepDetails = step.StepDetails with { ToolCalls = [.. earlier, Record(invocation.CallId, running)] } }, cancellationToken);
    }

    /// <summary>Creates the child thread (the task as its user message) and its run, linked to the parent, and leases it here.</summary>
    private async Task<ThreadRun> StartChildAsync(ToolInvocation invocation, string assistantId, string task, IReadOnlyList<string> parentRuns,
        IReadOnlyList<string> assistantPath, CancellationToken cancellationToken)
    {
        var parent = invocation.Run;
        var link = new Dictionary<string, string> { [ParentRunKey] = parent.Id, [ParentThreadKey] = parent.ThreadId, [ParentCallKey] = invocation.CallId };
        var runMetadata = new Dictionary<string, string>(link)
        {
            [ModelCallScope.ParentRunsKey] = string.Join(',', parentRuns),
            [AssistantPathKey] = string.Join(',', assistantPath),
        };
        foreach (var (key, value) in parent.Metadata.Where(m => m.Key.StartsWith("agenthost_budget_", StringComparison.Ordinal)))
        {
            runMetadata[key] = value; // the parent's budget covers its children
        }

        var runs = Service<RunService>();
        var message = new NewMessage(MessageRoles.User, [MessageContent.FromText(task)], [], null);
        var (_, child) = await runs.CreateThreadAndRunAsync(new NewThread([message], null, link),
            new RunRequest { AssistantId = assistantId, Metadata = runMetadata }, IdGenerator.Run(), cancellationToken);
        return child;
    }

    /// <summary>
    /// Executes the child run here, under the parent's cancellation and the sub-assistant timeout; returns how it ended.
    /// A cancelled parent cancels the child and stops this call too.
    /// </summary>
    private async Task<ThreadRun> RunChildAsync(ThreadRun queued, CancellationToken parentCancellation)
    {
        var transitions = Service<RunTransitions>();
        var cancellations = Service<RunCancellations>();
        var owner = IdGenerator.New("subasst");
        var leaseLength = Service<RunEngineOptions>().LeaseDuration;
        var now = Time.GetUtcNow();
        var leased = (await Store.TryLeaseRunAsync(queued.Id, owner, now, now + leaseLength, CancellationToken.None))?.Run
            ?? throw new InvalidOperationException($"Sub-assistant run {queued.Id} was taken by another executor.");
        using var timeout = new CancellationTokenSource(options.Timeout, Time);
        using var cancellation = cancellations.Register(leased.Id, parentCancellation);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token, timeout.Token);
        using var renewing = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(owner, leaseLength, renewing.Token);
        try
        {
            var started = leased with { Status = RunStatus.InProgress, StartedAt = Time.UnixNow() };
            if (!await transitions.TryMoveAsync(leased, started, stop.Token))
            {
                return await CurrentAsync(leased);
            }

            var ended = await Service<RunExecutor>().ExecuteAsync(started, stop.Token);
            if (ended.Status == RunStatus.RequiresAction)
            {
                // Only an approval can pause a child (it has no function tools); nobody can answer it inside the parent's call.
                return await transitions.TryEndAsync(ended, RunStatus.Failed,
                    new RunError(RunErrorCodes.ServerError, "The sub-assistant run stopped for an approval, which a sub-assistant cannot ask for."), null, CancellationToken.None)
                    ?? await CurrentAsync(ended);
            }

            return ended;
        }
        catch (Exception e) when (e is OperationCanceledException or RunInterruptedException)
        {
            var current = await CurrentAsync(leased);
            var timedOut = timeout.IsCancellationRequested && !parentCancellation.IsCancellationRequested && current.Status != RunStatus.Cancelling;
            var ended = RunStatus.IsTerminal(current.Status)
                ? current
                : await (timedOut
                    ? transitions.TryEndAsync(current, RunStatus.Failed, new RunError(RunErrorCodes.ServerError, $"The sub-assistant did not finish within {options.Timeout} (AgentHost:SubAssistants:Timeout)."), null, CancellationToken.None)
                    : transitions.TryEndAsync(current, RunStatus.Cancelled, null, null, CancellationToken.None)) ?? await CurrentAsync(leased);
            parentCancellation.ThrowIfCancellationRequested();
            return ended;
        }
        catch (Exception e)
        {
            var current = await CurrentAsync(leased);
            return RunStatus.IsTerminal(current.Status)
                ? current
                : await transitions.TryEndAsync(current, RunStatus.Failed, RunFailures.ErrorOf(e), null, CancellationToken.None) ?? await CurrentAsync(leased);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
            cancellations.Unregister(leased.Id);
            await Store.ReleaseLeaseAsync(leased.Id, owner, CancellationToken.None);
        }
    }

    /// <summary>Keeps the child's lease while it runs here, as the worker keeps its own runs' leases.</summary>
    private async Task RenewLeaseAsync(string owner, TimeSpan leaseLength, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(leaseLength / 3, Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await Store.RenewLeasesAsync(owner, Time.GetUtcNow() + leaseLength, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The child ended.
        }
    }

    private async Task<ThreadRun> CurrentAsync(ThreadRun run) => await Store.GetRunAsync(run.ThreadId, run.Id, CancellationToken.None) ?? run;

    private IAgentStore Store => Service<IAgentStore>();

    private TimeProvider Time => Service<TimeProvider>();

    private T Service<T>() where T : class =>
        services.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"The assistant tool needs {typeof(T).Name} registered.");

    private static string AssistantIdOf(ToolDefinition definition) => definition.Setting("assistant_id")?.GetString() ?? string.Empty;

    /// <summary>The function name the model calls a sub-assistant by: its name cut to what tool names allow, else its id.</summary>
    public static string FunctionNameOf(Assistant? sub, string id)
    {
        var name = new string([.. (sub?.Name ?? string.Empty).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]).Trim('_');
        name = name.Length == 0 ? id : name;
        return name.Length <= 64 ? name : name[..64];
    }

    private static string? TaskOf(string arguments)
    {
        try
        {
            using var parsed = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            return parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("task", out var task) && task.ValueKind == JsonValueKind.String
                ? task.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StepToolCall Record(string callId, SubAssistantCall call) =>
        new() { Id = callId, Type = ToolType, Details = JsonSerializer.SerializeToElement(call, SubAssistantJsonContext.Default.SubAssistantCall) };
}
