using System.Text;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>
/// Drives one leased, in-progress run: call the model, record what it writes and calls, run built-in tools,
/// and stop when the run is done, needs tool outputs, or hits a limit. Everything it learns is saved as it
/// goes, so an interrupted run resumes from its last finished step.
/// </summary>
public sealed class RunExecutor
{
    private readonly IAgentStore store;
    private readonly IModelRouter models;
    private readonly IRunEventSink events;
    private readonly RunTransitions transitions;
    private readonly TimeProvider time;
    private readonly RunEngineOptions options;
    private readonly ITokenCounter tokens;
    private readonly ToolSources sources;
    private readonly PromptBuilder prompts;
    private readonly IMessageContentContributor[] contributors;
    private readonly IRunObserver observer;
    private readonly RunHistories histories;
    private readonly ToolCallGates gates;

    public RunExecutor(IAgentStore store, IModelRouter models, IRunEventSink events, RunTransitions transitions, ITokenCounter tokens,
        ToolSources sources, RunEngineOptions options, TimeProvider time, IRunObserver? observer = null,
        IEnumerable<IMessageContentContributor>? contributors = null, RunHistories? histories = null, ToolCallGates? gates = null)
    {
        this.histories = histories ?? new RunHistories([]);
        this.gates = gates ?? new ToolCallGates();
        this.store = store;
        this.models = models;
        this.events = events;
        this.transitions = transitions;
        this.time = time;
        this.options = options;
        this.tokens = tokens;
        this.sources = sources;
        prompts = new PromptBuilder(tokens, sources);
        this.contributors = [.. sources.Types.Select(sources.For).OfType<IMessageContentContributor>().Distinct(), .. contributors ?? []];
        this.observer = observer ?? NullRunObserver.Instance;
    }

    /// <summary>Runs <paramref name="run"/> (status in_progress) until it ends or pauses; returns its latest state.</summary>
    public Task<ThreadRun> ExecuteAsync(ThreadRun run, CancellationToken cancellationToken) => ExecuteAsync(run, null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="run"/> as <see cref="ExecuteAsync(ThreadRun, CancellationToken)"/> does. <paramref name="steps"/>,
    /// when the caller holds them, are all the run's steps as stored; else the first turn reads them.
    /// </summary>
    public async Task<ThreadRun> ExecuteAsync(ThreadRun run, IReadOnlyList<RunStep>? steps, CancellationToken cancellationToken)
    {
        for (var call = 0; ; call++)
        {
            if (call >= options.MaxModelCallsPerRun)
            {
                return await EndAsync(run, RunStatus.Failed, new RunError(RunErrorCodes.ServerError,
                    $"The run called the model {call} times without finishing; the limit is AgentHost:Runs:MaxModelCallsPerRun."), null);
            }

            steps = call == 0 && steps is not null ? steps : await transitions.AllStepsAsync(run, cancellationToken);
            if (steps.Count > 0 && steps[^1] is { Type: StepTypes.ToolCalls, Status: StepStatus.InProgress } decided)
            {
                // A step left open by submit_tool_outputs: the calls the caller approved run now, then the model goes on.
                await CompleteStepAsync(await RunApprovedCallsAsync(run, decided, cancellationToken), cancellationToken);
                continue;
            }

            var used = RunTransitions.SumUsage(steps);
            if (run.MaxCompletionTokens is int maxCompletion && (used?.CompletionTokens ?? 0) >= maxCompletion)
            {
                return await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_completion_tokens"));
            }

            Prompt prompt;
            try
            {
                var history = histories.For(run) is { } source ? await source.LoadAsync(run, cancellationToken) : null;
                prompt = await prompts.BuildAsync(run, store, history, steps, PromptBudget(run, used), cancellationToken);
            }
            catch (PromptTooLongException) when (run.MaxPromptTokens is not null)
            {
                return await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_prompt_tokens"));
            }
            catch (PromptTooLongException tooLong) when (run.Profile is { NoTruncation: true })
            {
                return await EndAsync(run, RunStatus.Failed, new RunError(RunErrorCodes.ContextLengthExceeded,
                    $"The input ({tooLong.Tokens} tokens) exceeds the model's context window ({tooLong.Budget} tokens) and truncation is disabled."), null);
            }

            var maxOutput = run.MaxCompletionTokens is int max ? max - (used?.CompletionTokens ?? 0) : (int?)null;
            var client = models.GetClient(run.Model);
            var toolSet = await RunToolSet.BuildAsync(run, sources, cancellationToken);
            var chatOptions = ModelCallScope.ForRun(run, prompt.EstimatedTokens).AttachTo(RunOptionsMapper.ToChatOptions(run, toolSet, maxOutput));
            ModelTurn turn;
            try
            {
                turn = await StreamTurnAsync(run, client, prompt, chatOptions, steps, cancellationToken);
            }
            catch (BudgetExceededException stop)
            {
                return await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails(stop.Reason));
            }

            if (turn.ToolCalls.Count == 0)
            {
                // Only this turn wrote steps since they were read: its message step, saved with the run's end.
                IReadOnlyList<RunStep> all = turn.MessageStep is { } written ? [.. steps, written] : steps;
                var limited = turn.FinishReason == ChatFinishReason.Length && maxOutput is not null;
                var output = turn is { Message: { } last, MessageStep: { } lastStep } ? new RunOutput(last, lastStep) : null;
                return limited
                    ? await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_completion_tokens"), all, output)
                    : await EndAsync(run, RunStatus.Completed, null, null, all, output);
            }

            if (run.Profile?.MaxToolCalls is int maxToolCalls && CountEngineCalls(steps, toolSet, turn) > maxToolCalls)
            {
                return await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_tool_calls"));
            }

            var (step, pending, decisions) = await RunToolCallsAsync(run, turn, toolSet, cancellationToken);
            if (pending.Count > 0 && run.Profile is { EndsAtClientToolCalls: true })
            {
                // The caller answers these calls in its next run: this one ends with them as its output.
                events.Publish(new ApprovalRequested(decisions) { RunId = run.Id });
                await CompleteStepAsync(step, cancellationToken);
                return await EndAsync(run, RunStatus.Completed, null, null);
            }

            if (pending.Count > 0)
            {
                return await RequireActionAsync(run, pending, decisions, cancellationToken);
            }

            await CompleteStepAsync(step, cancellationToken);
        }
    }

    /// <summary>Calls of engine-run tools so far, with those of <paramref name="turn"/>.</summary>
    private static int CountEngineCalls(IReadOnlyList<RunStep> steps, RunToolSet toolSet, ModelTurn turn) =>
        steps.Sum(s => s.StepDetails.ToolCalls?.Count(c => c.Function is null) ?? 0) + turn.ToolCalls.Count(c => toolSet.Find(c.Name) is not null);

    private int PromptBudget(ThreadRun run, Usage? used)
    {
        var budget = options.ContextWindowFor(run.Model) - Math.Min(options.OutputReserveTokens, run.MaxCompletionTokens ?? int.MaxValue);
        if (run.MaxPromptTokens is int maxPrompt)
        {
            budget = Math.Min(budget, maxPrompt - (used?.PromptTokens ?? 0));
        }

        return budget;
    }

    private async Task<ModelTurn> StreamTurnAsync(ThreadRun run, IChatClient client, Prompt prompt, ChatOptions chatOptions, IReadOnlyList<RunStep> steps,
        CancellationToken cancellationToken)
    {
        ThreadMessage? message = null;
        RunStep? messageStep = null;
        var text = new StringBuilder();
        var calls = new List<FunctionCallContent>();
        UsageDetails? reported = null;
        ChatFinishReason? finish = null;
        TurnReasoning? reasoning = null;

        string? responseModel = null;
        events.Publish(new ModelCallStarted(run.Model) { RunId = run.Id });
        await foreach (var update in client.GetStreamingResponseAsync(prompt.Messages, chatOptions, cancellationToken))
        {
            finish = update.FinishReason ?? finish;
            responseModel = update.ModelId ?? responseModel;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } delta:
                        CompleteReasoning(run, reasoning);
                        if (message is null)
                        {
                            (message, messageStep) = await StartMessageAsync(run, cancellationToken);
                        }

                        events.Publish(new TextDelta(message.Id, 0, text.Length, delta.Text) { RunId = run.Id });
                        text.Append(delta.Text);
                        break;
                    case TextReasoningContent thinkingContent when reasoning is not { Completed: true }:
                        reasoning ??= new TurnReasoning();
                        if (reasoning.Add(thinkingContent) is { Length: > 0 } thinking)
                        {
                            events.Publish(new ReasoningDelta(thinking) { RunId = run.Id, ItemId = reasoning.Id });
                        }

                        break;
                    case FunctionCallContent call:
                        CompleteReasoning(run, reasoning);
                        calls.Add(call);
                        break;
                    case UsageContent usage:
                        reported = usage.Details;
                        break;
                }
            }
        }

        var thought = CompleteReasoning(run, reasoning);
        var usageOfTurn = new Usage
        {
            PromptTokens = (int)(reported?.InputTokenCount ?? prompt.EstimatedTokens),
            CompletionTokens = (int)(reported?.OutputTokenCount ?? tokens.CountTokens(text.ToString()) + calls.Sum(c => tokens.CountTokens(c.Name) + 8)),
            PromptTokenDetails = new PromptTokenDetails((int)(reported?.CachedInputTokenCount ?? 0)),
            CompletionTokensDetails = new CompletionTokensDetails((int)(reported?.ReasoningTokenCount ?? 0)),
        };
        events.Publish(new ModelCallEnded(run.Model, string.IsNullOrEmpty(responseModel) ? null : responseModel, usageOfTurn, finish?.Value) { RunId = run.Id });

        if (message is null && calls.Count == 0)
        {
            // The model said nothing: the run still ends with an (empty) assistant message, as the original did.
            (message, messageStep) = await StartMessageAsync(run, cancellationToken);
        }

        if (message is not null)
        {
            var truncated = finish == ChatFinishReason.Length;
            var now = time.UnixNow();
            IReadOnlyList<MessageContent> content = text.Length == 0 ? [] : [MessageContent.FromText(text.ToString())];
            foreach (var contributor in contributors.Where(c => run.Tools.Any(t => t.Type == c.Type)))
            {
                content = await contributor.CompleteContentAsync(run, steps, content, cancellationToken);
            }

            message = message with
            {
                Content = content,
                Status = truncated ? MessageStatus.Incomplete : MessageStatus.Completed,
                CompletedAt = truncated ? null : now,
                IncompleteAt = truncated ? now : null,
                IncompleteDetails = truncated ? new IncompleteDetails("max_tokens") : null,
            };
            // With tool calls to follow, the tool step carries the turn's usage; counted once. The turn's reasoning goes
            // with its first step.
            messageStep = messageStep! with
            {
                Usage = calls.Count == 0 ? usageOfTurn : Zero,
                Reasoning = thought,
                Status = StepStatus.Completed,
                CompletedAt = time.UnixNow(),
            };
            if (calls.Count > 0)
            {
                // Else the run ends with this turn, and the message and its step are saved (and published) with its end.
                await store.SaveMessageWithStepAsync(message, messageStep, cancellationToken);
                events.Publish(new MessageCompleted(message) { RunId = run.Id });
                events.Publish(new StepCompleted(messageStep) { RunId = run.Id });
            }
        }

        return new ModelTurn(message, messageStep, calls, usageOfTurn, finish) { Reasoning = message is null ? thought : null };
    }

    /// <summary>Publishes the turn's reasoning record once it is complete (a message or a call follows, or the turn ended).</summary>
    private StepReasoning? CompleteReasoning(ThreadRun run, TurnReasoning? reasoning)
    {
        if (reasoning is null)
        {
            return null;
        }

        if (reasoning.Completed)
        {
            return reasoning.Record;
        }

        var record = reasoning.Complete();
        events.Publish(new ReasoningCompleted(record) { RunId = run.Id });
        return record;
    }

    private static readonly Usage Zero = new() { PromptTokens = 0, CompletionTokens = 0 };

    private async Task<(ThreadMessage, RunStep)> StartMessageAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var now = time.UnixNow();
        var message = new ThreadMessage
        {
            Id = IdGenerator.Message(),
            CreatedAt = now,
            AssistantId = run.AssistantId,
            ThreadId = run.ThreadId,
            RunId = run.Id,
            Role = MessageRoles.Assistant,
            Status = MessageStatus.InProgress,
        };
        var step = NewStep(run, now, new StepDetails { Type = StepTypes.MessageCreation, MessageCreation = new MessageCreation(message.Id) });

        await store.SaveMessageWithStepAsync(message, step, cancellationToken);
        events.Publish(new StepStarted(step) { RunId = run.Id });
        events.Publish(new MessageStarted(message) { RunId = run.Id });
        return (message, step);
    }

    private async Task<(RunStep Step, IReadOnlyList<RequiredToolCall> Pending, IReadOnlyList<PendingDecision> Decisions)> RunToolCallsAsync(ThreadRun run, ModelTurn turn, RunToolSet toolSet,
        CancellationToken cancellationToken)
    {
        var step = NewStep(run, time.UnixNow(), new StepDetails { Type = StepTypes.ToolCalls, ToolCalls = [] }) with { Reasoning = turn.Reasoning };
        await store.SaveStepAsync(step, cancellationToken);
        events.Publish(new StepStarted(step) { RunId = run.Id });

        var records = new List<StepToolCall>(turn.ToolCalls.Count);
        var pending = new List<RequiredToolCall>();
        var decisions = new List<PendingDecision>();
        for (var index = 0; index < turn.ToolCalls.Count; index++)
        {
            var call = turn.ToolCalls[index];
            var callId = string.IsNullOrEmpty(call.CallId) ? IdGenerator.ToolCall() : call.CallId;
            var arguments = System.Text.Json.JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), EngineJsonContext.Default.IDictionaryStringObject);
            var binding = toolSet.Find(call.Name);
            var toolType = binding?.Definition.Type ?? ToolTypes.Function;
            events.Publish(new ToolCallStarted { RunId = run.Id, StepId = step.Id, Index = index, CallId = callId, ToolType = toolType, Name = call.Name });
            events.Publish(new ToolCallArgumentsDelta { RunId = run.Id, StepId = step.Id, Index = index, CallId = callId, ToolType = toolType, Delta = arguments });
            if (binding is not null)
            {
                var outcome = await CheckedInvokeAsync(new ToolInvocation(run, binding.Definition, call.Name, callId, arguments) { StepId = step.Id, Index = index },
                    binding.Source, cancellationToken);
                records.Add(outcome.Record);
                if (index < turn.ToolCalls.Count - 1)
                {
                    // Saved as each call ends, so a long call that follows (a sub-assistant) shows its predecessors' records.
                    await store.SaveStepAsync(step with { StepDetails = step.StepDetails with { ToolCalls = [.. records] } }, cancellationToken);
                }

                if (outcome.Approval is { } approval)
                {
                    pending.Add(new RequiredToolCall { Id = callId, Function = new FunctionCall(approval.Name, approval.Arguments) });
                    decisions.Add(new PendingDecision(callId, approval.Kind, toolType, call.Name, arguments));
                }

                continue;
            }

            records.Add(new StepToolCall { Id = callId, Type = ToolTypes.Function, Function = new StepFunctionCall(call.Name, arguments, null) });
            pending.Add(new RequiredToolCall { Id = callId, Function = new FunctionCall(call.Name, arguments) });
            decisions.Add(new PendingDecision(callId, PendingDecision.ClientTool, ToolTypes.Function, call.Name, arguments));
        }

        step = step with { StepDetails = step.StepDetails with { ToolCalls = records }, Usage = turn.Usage };
        await store.SaveStepAsync(step, cancellationToken);
        return (step, pending, decisions);
    }

    /// <summary>Runs the calls of <paramref name="step"/> that the caller approved; returns the step with their results.</summary>
    private async Task<RunStep> RunApprovedCallsAsync(ThreadRun run, RunStep step, CancellationToken cancellationToken)
    {
        var calls = step.StepDetails.ToolCalls ?? [];
        var toolSet = await RunToolSet.BuildAsync(run, sources, cancellationToken);
        var records = new List<StepToolCall>(calls.Count);
        for (var index = 0; index < calls.Count; index++)
        {
            var call = calls[index];
            if (EngineToolRecords.AwaitsExecution(call) && sources.For(call.Type) is { } permitted)
            {
                // A permission decision approved the call: it runs now as the model made it, without being checked again.
                var (name, arguments) = EngineToolRecords.CallOf(call);
                var definition = toolSet.Find(name)?.Definition ?? run.Tools.FirstOrDefault(t => t.Type == call.Type) ?? new ToolDefinition { Type = call.Type };
                var invocation = new ToolInvocation(run, definition, name, call.Id, arguments) { StepId = step.Id, Index = index };
                records.Add((await InvokeAsync(invocation, permitted, gates.For(run.Id), cancellationToken)).Record);
            }
            else if (!EngineToolRecords.IsEngineRecord(call) && sources.For(call.Type) is { } source && source.AwaitsExecution(call))
            {
                var view = EngineToolRecords.Describe(source, call);
                var definition = toolSet.Find(view.Name)?.Definition ?? run.Tools.FirstOrDefault(t => t.Type == call.Type) ?? new ToolDefinition { Type = call.Type };
                var invocation = new ToolInvocation(run, definition, view.Name, call.Id, view.Arguments) { StepId = step.Id, Index = index, Approved = call };
                records.Add((await InvokeAsync(invocation, source, gates.For(run.Id), cancellationToken)).Record);
            }
            else
            {
                records.Add(call);
            }
        }

        step = step with { StepDetails = step.StepDetails with { ToolCalls = records } };
        await store.SaveStepAsync(step, cancellationToken);
        return step;
    }

    /// <summary>
    /// Runs a call through the run's gate, when it has one: a denial is recorded as the call's (error) result without
    /// running it, a rewrite runs it with the new arguments, and an ask pauses the run for a <c>permission</c> decision.
    /// </summary>
    private async Task<ToolCallOutcome> CheckedInvokeAsync(ToolInvocation invocation, IToolSource source, CancellationToken cancellationToken)
    {
        if (gates.For(invocation.Run.Id) is not { } gate)
        {
            return await InvokeAsync(invocation, source, null, cancellationToken);
        }

        var type = invocation.Definition.Type;
        var decision = await gate.BeforeAsync(new ToolCallCheck(invocation.Run, invocation.CallId, type, invocation.Name, invocation.Arguments), cancellationToken);
        switch (decision.Verdict)
        {
            case ToolGateVerdict.Deny:
                var output = "Denied: " + decision.Reason;
                events.Publish(new ToolCallCompleted
                {
                    RunId = invocation.Run.Id, StepId = invocation.StepId, Index = invocation.Index, CallId = invocation.CallId, ToolType = type,
                    Name = invocation.Name, Arguments = invocation.Arguments, Output = output, IsError = true, Duration = TimeSpan.Zero,
                });
                return new ToolCallOutcome(EngineToolRecords.Refusal(invocation.CallId, type, invocation.Name, invocation.Arguments, output));
            case ToolGateVerdict.Ask:
                return new ToolCallOutcome(EngineToolRecords.AwaitingDecision(invocation.CallId, type, invocation.Name, invocation.Arguments))
                {
                    Approval = EngineToolRecords.PermissionRequest(type, invocation.Name, invocation.Arguments),
                };
            case ToolGateVerdict.Rewrite:
                invocation = invocation with { Arguments = decision.Arguments! };
                break;
        }

        return await InvokeAsync(invocation, source, gate, cancellationToken);
    }

    private async Task<ToolCallOutcome> InvokeAsync(ToolInvocation invocation, IToolSource source, IToolCallGate? gate, CancellationToken cancellationToken)
    {
        var type = invocation.Definition.Type;
        await using var trace = observer.StartToolCall(invocation.Run, invocation.CallId, invocation.Name == type ? type : $"{type}:{invocation.Name}", invocation.Arguments);
        try
        {
            var started = time.GetTimestamp();
            var outcome = await source.InvokeAsync(invocation, cancellationToken);
            if (outcome.Approval is not null)
            {
                await trace.CompleteAsync("(waiting for approval)");
                return outcome;
            }

            var described = EngineToolRecords.Describe(source, outcome.Record);
            if (gate is not null
                && await gate.AfterAsync(new ToolCallCheck(invocation.Run, invocation.CallId, type, invocation.Name, invocation.Arguments), described, cancellationToken) is { } replaced)
            {
                outcome = outcome with { Record = EngineToolRecords.WithOutput(outcome.Record, described, replaced) };
                described = described with { Output = replaced };
            }

            await trace.CompleteAsync(described.Output);
            events.Publish(new ToolCallCompleted
            {
                RunId = invocation.Run.Id, StepId = invocation.StepId, Index = invocation.Index, CallId = invocation.CallId, ToolType = type,
                Name = invocation.Name, Arguments = described.Arguments, Output = described.Output, IsError = described.IsError, Duration = time.GetElapsedTime(started),
                Record = outcome.Record,
            });
            return outcome;
        }
        catch (Exception e)
        {
            trace.Fail(e);
            throw;
        }
    }

    private async Task<ThreadRun> RequireActionAsync(ThreadRun run, IReadOnlyList<RequiredToolCall> pending, IReadOnlyList<PendingDecision> decisions,
        CancellationToken cancellationToken)
    {
        // Published before the pause itself, so a reader that stops at the pause has seen what it waits for.
        events.Publish(new ApprovalRequested(decisions)
        {
            RunId = run.Id,
        });
        var next = run with
        {
            Status = RunStatus.RequiresAction,
            RequiredAction = new RequiredAction { SubmitToolOutputs = new SubmitToolOutputsAction(pending) },
            ExpiresAt = run.Profile is { WaitsForOutputsIndefinitely: true } ? null : (time.GetUtcNow() + options.RequiresActionTimeout).ToUnixTimeSeconds(),
        };
        return await transitions.TryMoveAsync(run, next, cancellationToken) ? next : throw new RunInterruptedException();
    }

    private async Task CompleteStepAsync(RunStep step, CancellationToken cancellationToken)
    {
        var completed = step with { Status = StepStatus.Completed, CompletedAt = time.UnixNow() };
        await store.SaveStepAsync(completed, cancellationToken);
        events.Publish(new StepCompleted(completed) { RunId = step.RunId });
    }

    private async Task<ThreadRun> EndAsync(ThreadRun run, string status, RunError? error, RunIncompleteDetails? incomplete, IReadOnlyList<RunStep>? steps = null,
        RunOutput? output = null) =>
        await transitions.TryEndAsync(run, status, error, incomplete, CancellationToken.None, steps, output) ?? throw new RunInterruptedException();

    private static RunStep NewStep(ThreadRun run, long now, StepDetails details) => new()
    {
        Id = IdGenerator.Step(),
        CreatedAt = now,
        RunId = run.Id,
        AssistantId = run.AssistantId,
        ThreadId = run.ThreadId,
        Type = details.Type,
        ExpiresAt = run.ExpiresAt,
        StepDetails = details,
    };
}
