using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Engine;

/// <summary>
/// The run operations of the API — create, submit tool outputs, cancel, read — with the original service's
/// rules: one active run per thread, outputs for exactly the pending calls, expiry of paused runs.
/// </summary>
public sealed class RunService(
    IAgentStore store, RunQueue queue, RunTransitions transitions, RunCancellations cancellations, RunEngineOptions options, ToolSources sources, TimeProvider time)
{
    /// <param name="runId">The id to give the run, so a stream can subscribe before the worker can see it.</param>
    public async Task<ThreadRun> CreateRunAsync(string threadId, RunRequest request, string runId, CancellationToken cancellationToken)
    {
        var thread = await store.GetThreadAsync(threadId, cancellationToken) ?? throw ApiException.NotFound("thread", threadId);
        var run = await NewRunAsync(thread, request, runId, cancellationToken);
        var messages = request.AdditionalMessages.Select(m => ToMessage(thread.Id, m)).ToList();
        await InsertAsync(run, null, messages, cancellationToken);
        return run;
    }

    public async Task<(AssistantThread Thread, ThreadRun Run)> CreateThreadAndRunAsync(NewThread newThread, RunRequest request, string runId, CancellationToken cancellationToken)
    {
        var thread = NewThreadOf(newThread);
        var run = await NewRunAsync(thread, request, runId, cancellationToken);
        var messages = newThread.Messages.Select(m => ToMessage(thread.Id, m)).ToList();
        await InsertAsync(run, thread, messages, cancellationToken);
        return (thread, run);
    }

    public AssistantThread NewThreadOf(NewThread newThread) => new()
    {
        Id = IdGenerator.Thread(),
        CreatedAt = time.UnixNow(),
        ToolResources = newThread.ToolResources ?? new ToolResources(),
        Metadata = newThread.Metadata ?? new Dictionary<string, string>(),
    };

    public ThreadMessage ToMessage(string threadId, NewMessage message) => new()
    {
        Id = IdGenerator.Message(),
        CreatedAt = time.UnixNow(),
        ThreadId = threadId,
        Role = message.Role,
        Content = message.Content,
        Attachments = message.Attachments,
        Metadata = message.Metadata ?? new Dictionary<string, string>(),
        CompletedAt = time.UnixNow(),
    };

    /// <summary>Adds a user or assistant message; refused while a run is active on the thread.</summary>
    public async Task<ThreadMessage> AddMessageAsync(string threadId, NewMessage newMessage, CancellationToken cancellationToken)
    {
        _ = await store.GetThreadAsync(threadId, cancellationToken) ?? throw ApiException.NotFound("thread", threadId);
        var message = ToMessage(threadId, newMessage);
        var active = await store.TryAddMessageAsync(message, cancellationToken);
        return active is null
            ? message
            : throw ApiException.Invalid($"Can't add messages to {threadId} while a run {active.Id} is active.");
    }

    public async Task<ThreadRun> GetRunAsync(string threadId, string runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(threadId, runId, cancellationToken) ?? throw ApiException.NotFound("run", runId);
        return await ExpireIfDueAsync(run, cancellationToken);
    }

    /// <summary>Records the outputs, completes the tool step and queues the run again; returns both. Call <see cref="Start"/> after.</summary>
    public async Task<(ThreadRun Run, RunStep Step)> SubmitToolOutputsAsync(string threadId, string runId, IReadOnlyList<ToolOutput> outputs, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(threadId, runId, cancellationToken);
        if (run.Status != RunStatus.RequiresAction || run.RequiredAction is null)
        {
            throw ApiException.Invalid($"Runs in status \"{run.Status}\" do not accept tool outputs.");
        }

        var expected = run.RequiredAction.SubmitToolOutputs.ToolCalls.Select(c => c.Id).ToList();
        var given = outputs.Select(o => o.ToolCallId).ToList();
        var unknown = given.Except(expected).ToList();
        if (unknown.Count > 0)
        {
            throw ApiException.Invalid($"Invalid tool_call_id: '{unknown[0]}'. No pending tool call of {runId} has that id.", "tool_outputs");
        }

        if (given.Count != given.Distinct().Count() || expected.Except(given).Any())
        {
            throw ApiException.Invalid(
                $"Expected tool outputs for call_ids [{string.Join(", ", expected.Select(id => $"'{id}'"))}], got [{string.Join(", ", given.Select(id => $"'{id}'"))}].",
                "tool_outputs");
        }

        var steps = await transitions.AllStepsAsync(run, cancellationToken);
        var step = steps.LastOrDefault(s => s.Status == StepStatus.InProgress && s.Type == StepTypes.ToolCalls)
            ?? throw new ApiException(ApiErrorKind.ServerError, $"Run {runId} is waiting for tool outputs but has no open tool step.");
        var byId = outputs.ToDictionary(o => o.ToolCallId, o => o.Output);
        var calls = step.StepDetails.ToolCalls!.Select(c => Answer(c, byId)).ToList();

        // Calls the caller approved still have to run: the step stays open and the executor runs them first.
        var awaitsExecution = calls.Any(c => c.Function is null && (EngineToolRecords.IsEngineRecord(c) ? EngineToolRecords.AwaitsExecution(c) : sources.For(c.Type)?.AwaitsExecution(c) == true));
        var completedStep = step with
        {
            Status = awaitsExecution ? StepStatus.InProgress : StepStatus.Completed,
            CompletedAt = awaitsExecution ? null : time.UnixNow(),
            StepDetails = step.StepDetails with { ToolCalls = calls },
        };

        // One transaction: a worker that picks the queued run up (this node's or another's) finds the answers saved.
        var resumed = run with { Status = RunStatus.Queued, RequiredAction = null };
        if (!await store.TryUpdateRunWithStepAsync(resumed, RunStatus.RequiresAction, completedStep, cancellationToken))
        {
            var now = await GetRunAsync(threadId, runId, cancellationToken);
            throw ApiException.Invalid($"Runs in status \"{now.Status}\" do not accept tool outputs.");
        }

        return (resumed, completedStep);
    }

    /// <summary>A pending call with the caller's answer: a function's output, or the decision on an approval a tool source asked for.</summary>
    private StepToolCall Answer(StepToolCall call, IReadOnlyDictionary<string, string> outputs)
    {
        if (!outputs.TryGetValue(call.Id, out var output))
        {
            return call;
        }

        if (call.Function is { } function)
        {
            return call with { Function = function with { Output = output } };
        }

        var decision = ToolDecision.Parse(output) ?? throw ApiException.Invalid(
            $"Invalid output for tool call '{call.Id}': it asks for an approval; answer 'approve', or 'deny' or 'deny: <reason>'.", "tool_outputs");
        return EngineToolRecords.IsAwaitingDecision(call) ? EngineToolRecords.Decide(call, decision)
            : EngineToolRecords.IsEngineRecord(call) ? call : sources.For(call.Type)?.Decide(call, decision) ?? call;
    }

    /// <summary>Hands a queued run to the worker.</summary>
    public void Start(string runId) => queue.Enqueue(runId);

    public async Task<ThreadRun> CancelRunAsync(string threadId, string runId, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(threadId, runId, cancellationToken);
        if (run.Status is not (RunStatus.Queued or RunStatus.InProgress or RunStatus.RequiresAction))
        {
            throw ApiException.Invalid($"Cannot cancel run with status '{run.Status}'.");
        }

        var cancelling = run with { Status = RunStatus.Cancelling };
        if (!await transitions.TryMoveAsync(run, cancelling, cancellationToken))
        {
            return await CancelRunAsync(threadId, runId, cancellationToken);
        }

        // An executing run stops at once; one that is queued or paused is finished by the worker.
        if (!cancellations.Signal(runId))
        {
            queue.Enqueue(runId);
        }

        return cancelling;
    }

    private async Task<ThreadRun> ExpireIfDueAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        if (run.Status != RunStatus.RequiresAction || run.ExpiresAt is not long expiresAt || time.UnixNow() < expiresAt)
        {
            return run;
        }

        return await transitions.TryEndAsync(run, RunStatus.Expired, null, null, cancellationToken)
            ?? await store.GetRunAsync(run.ThreadId, run.Id, cancellationToken) ?? run;
    }

    private async Task<ThreadRun> NewRunAsync(AssistantThread thread, RunRequest request, string runId, CancellationToken cancellationToken)
    {
        var assistant = await store.GetAssistantAsync(request.AssistantId, cancellationToken)
            ?? throw ApiException.NotFound("assistant", request.AssistantId, "assistant_id");
        var instructions = request.Instructions ?? assistant.Instructions;
        if (!string.IsNullOrEmpty(request.AdditionalInstructions))
        {
            instructions = string.IsNullOrEmpty(instructions) ? request.AdditionalInstructions : instructions + "\n\n" + request.AdditionalInstructions;
        }

        var now = time.GetUtcNow();
        return new ThreadRun
        {
            Id = runId,
            CreatedAt = now.ToUnixTimeSeconds(),
            AssistantId = assistant.Id,
            ThreadId = thread.Id,
            ExpiresAt = (now + options.RequiresActionTimeout).ToUnixTimeSeconds(),
            Model = request.Model ?? assistant.Model,
            Instructions = instructions,
            Tools = request.Tools ?? assistant.Tools,
            ToolResources = request.ToolResources ?? new ToolResources(),
            Metadata = request.Metadata ?? new Dictionary<string, string>(),
            Temperature = request.Temperature ?? assistant.Temperature ?? 1.0,
            TopP = request.TopP ?? assistant.TopP ?? 1.0,
            ReasoningEffort = request.ReasoningEffort ?? assistant.ReasoningEffort,
            MaxPromptTokens = request.MaxPromptTokens,
            MaxCompletionTokens = request.MaxCompletionTokens,
            TruncationStrategy = request.TruncationStrategy ?? TruncationStrategy.Auto,
            ToolChoice = request.ToolChoice ?? ToolChoice.Auto,
            ParallelToolCalls = request.ParallelToolCalls ?? true,
            ResponseFormat = request.ResponseFormat ?? assistant.ResponseFormat,
        };
    }

    private async Task InsertAsync(ThreadRun run, AssistantThread? newThread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken)
    {
        var active = await store.TryCreateRunAsync(run, newThread, messages, cancellationToken);
        if (active is not null)
        {
            throw ApiException.Invalid($"Thread {run.ThreadId} already has an active run {active.Id}.");
        }
    }
}
