using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
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
    private readonly Dictionary<string, IBuiltInTool> builtIns;
    private readonly PromptBuilder prompts;
    private readonly IMessageContentContributor[] contributors;
    private readonly IRunObserver observer;

    public RunExecutor(IAgentStore store, IModelRouter models, IRunEventSink events, RunTransitions transitions, ITokenCounter tokens,
        IEnumerable<IBuiltInTool> builtInTools, RunEngineOptions options, TimeProvider time, IRunObserver? observer = null,
        IEnumerable<IMessageContentContributor>? contributors = null)
    {
        this.store = store;
        this.models = models;
        this.events = events;
        this.transitions = transitions;
        this.time = time;
        this.options = options;
        this.tokens = tokens;
        builtIns = builtInTools.ToDictionary(t => t.Type);
        prompts = new PromptBuilder(tokens, builtIns);
        this.contributors = [.. builtIns.Values.OfType<IMessageContentContributor>(), .. contributors ?? []];
        this.observer = observer ?? NullRunObserver.Instance;
    }

    /// <summary>Runs <paramref name="run"/> (status in_progress) until it ends or pauses; returns its latest state.</summary>
    public async Task<ThreadRun> ExecuteAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        for (var call = 0; ; call++)
        {
            if (call >= options.MaxModelCallsPerRun)
            {
                return await EndAsync(run, RunStatus.Failed, new RunError(RunErrorCodes.ServerError,
                    $"The run called the model {call} times without finishing; the limit is AgentHost:Runs:MaxModelCallsPerRun."), null);
            }

            var steps = await transitions.AllStepsAsync(run, cancellationToken);
            var used = RunTransitions.SumUsage(steps);
            if (run.MaxCompletionTokens is int maxCompletion && (used?.CompletionTokens ?? 0) >= maxCompletion)
            {
                return await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_completion_tokens"));
            }

            Prompt prompt;
            try
            {
                var threadMessages = await store.GetThreadMessagesAsync(run.ThreadId, cancellationToken);
                prompt = prompts.Build(run, threadMessages, steps, PromptBudget(run, used));
            }
            catch (PromptTooLongException) when (run.MaxPromptTokens is not null)
            {
                return await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_prompt_tokens"));
            }

            var maxOutput = run.MaxCompletionTokens is int max ? max - (used?.CompletionTokens ?? 0) : (int?)null;
            var client = models.GetClient(run.Model);
            var chatOptions = ModelCallScope.ForRun(run, prompt.EstimatedTokens).AttachTo(RunOptionsMapper.ToChatOptions(run, builtIns, maxOutput));
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
                var limited = turn.FinishReason == ChatFinishReason.Length && maxOutput is not null;
                return limited
                    ? await EndAsync(run, RunStatus.Incomplete, null, new RunIncompleteDetails("max_completion_tokens"))
                    : await EndAsync(run, RunStatus.Completed, null, null);
            }

            var (step, pending) = await RunToolCallsAsync(run, turn, cancellationToken);
            if (pending.Count > 0)
            {
                return await RequireActionAsync(run, pending, cancellationToken);
            }

            await CompleteStepAsync(step, cancellationToken);
        }
    }

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

        await foreach (var update in client.GetStreamingResponseAsync(prompt.Messages, chatOptions, cancellationToken))
        {
            finish = update.FinishReason ?? finish;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } delta:
                        if (message is null)
                        {
                            (message, messageStep) = await StartMessageAsync(run, cancellationToken);
                        }

                        var first = text.Length == 0;
                        text.Append(delta.Text);
                        events.Publish(run.Id, RunEvent.ForDelta("thread.message.delta", MessageDelta(message.Id, delta.Text, first)));
                        break;
                    case FunctionCallContent call:
                        calls.Add(call);
                        break;
                    case UsageContent usage:
                        reported = usage.Details;
                        break;
                }
            }
        }

        var usageOfTurn = new Usage
        {
            PromptTokens = (int)(reported?.InputTokenCount ?? prompt.EstimatedTokens),
            CompletionTokens = (int)(reported?.OutputTokenCount ?? tokens.CountTokens(text.ToString()) + calls.Sum(c => tokens.CountTokens(c.Name) + 8)),
            PromptTokenDetails = new PromptTokenDetails((int)(reported?.CachedInputTokenCount ?? 0)),
            CompletionTokensDetails = new CompletionTokensDetails((int)(reported?.ReasoningTokenCount ?? 0)),
        };
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
            await store.SaveMessageAsync(message, cancellationToken);
            events.Publish(run.Id, RunEvent.ForMessage(truncated ? "thread.message.incomplete" : "thread.message.completed", message));

            // With tool calls to follow, the tool step carries the turn's usage; counted once.
            messageStep = messageStep! with { Usage = calls.Count == 0 ? usageOfTurn : Zero };
            await CompleteStepAsync(messageStep, cancellationToken);
        }

        return new ModelTurn(message, messageStep, calls, usageOfTurn, finish);
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

        await store.SaveStepAsync(step, cancellationToken);
        await store.SaveMessageAsync(message, cancellationToken);
        events.Publish(run.Id, RunEvent.ForStep("thread.run.step.created", step));
        events.Publish(run.Id, RunEvent.ForStep("thread.run.step.in_progress", step));
        events.Publish(run.Id, RunEvent.ForMessage("thread.message.created", message));
        events.Publish(run.Id, RunEvent.ForMessage("thread.message.in_progress", message));
        return (message, step);
    }

    private async Task<(RunStep Step, IReadOnlyList<RequiredToolCall> Pending)> RunToolCallsAsync(ThreadRun run, ModelTurn turn, CancellationToken cancellationToken)
    {
        var step = NewStep(run, time.UnixNow(), new StepDetails { Type = StepTypes.ToolCalls, ToolCalls = [] });
        await store.SaveStepAsync(step, cancellationToken);
        events.Publish(run.Id, RunEvent.ForStep("thread.run.step.created", step));
        events.Publish(run.Id, RunEvent.ForStep("thread.run.step.in_progress", step));

        var records = new List<StepToolCall>(turn.ToolCalls.Count);
        var pending = new List<RequiredToolCall>();
        for (var index = 0; index < turn.ToolCalls.Count; index++)
        {
            var call = turn.ToolCalls[index];
            var callId = string.IsNullOrEmpty(call.CallId) ? IdGenerator.ToolCall() : call.CallId;
            var arguments = System.Text.Json.JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), EngineJsonContext.Default.IDictionaryStringObject);
            var builtIn = run.Tools.FirstOrDefault(t => t.Type == call.Name && builtIns.ContainsKey(t.Type));
            if (builtIn is not null)
            {
                var record = await InvokeBuiltInAsync(run, builtIn, callId, arguments, step.Id, index, cancellationToken);
                records.Add(record);
                continue;
            }

            events.Publish(run.Id, RunEvent.ForDelta("thread.run.step.delta", FunctionCallStartDelta(step.Id, index, callId, call.Name)));
            events.Publish(run.Id, RunEvent.ForDelta("thread.run.step.delta", FunctionArgumentsDelta(step.Id, index, arguments)));
            records.Add(new StepToolCall { Id = callId, Type = ToolTypes.Function, Function = new StepFunctionCall(call.Name, arguments, null) });
            pending.Add(new RequiredToolCall { Id = callId, Function = new FunctionCall(call.Name, arguments) });
        }

        step = step with { StepDetails = step.StepDetails with { ToolCalls = records }, Usage = turn.Usage };
        await store.SaveStepAsync(step, cancellationToken);
        return (step, pending);
    }

    private async Task<StepToolCall> InvokeBuiltInAsync(ThreadRun run, ToolDefinition definition, string callId, string arguments, string stepId, int index,
        CancellationToken cancellationToken)
    {
        var tool = builtIns[definition.Type];
        await using var trace = observer.StartToolCall(run, callId, definition.Type, arguments);
        try
        {
            var record = await tool.InvokeAsync(new BuiltInToolCall(run, definition, callId, arguments) { StepId = stepId, Index = index }, cancellationToken);
            await trace.CompleteAsync(tool.DescribeCall(record).Output);
            return record;
        }
        catch (Exception e)
        {
            trace.Fail(e);
            throw;
        }
    }

    private async Task<ThreadRun> RequireActionAsync(ThreadRun run, IReadOnlyList<RequiredToolCall> pending, CancellationToken cancellationToken)
    {
        var next = run with
        {
            Status = RunStatus.RequiresAction,
            RequiredAction = new RequiredAction { SubmitToolOutputs = new SubmitToolOutputsAction(pending) },
            ExpiresAt = (time.GetUtcNow() + options.RequiresActionTimeout).ToUnixTimeSeconds(),
        };
        return await transitions.TryMoveAsync(run, next, cancellationToken) ? next : throw new RunInterruptedException();
    }

    private async Task CompleteStepAsync(RunStep step, CancellationToken cancellationToken)
    {
        var completed = step with { Status = StepStatus.Completed, CompletedAt = time.UnixNow() };
        await store.SaveStepAsync(completed, cancellationToken);
        events.Publish(step.RunId, RunEvent.ForStep("thread.run.step.completed", completed));
    }

    private async Task<ThreadRun> EndAsync(ThreadRun run, string status, RunError? error, RunIncompleteDetails? incomplete) =>
        await transitions.TryEndAsync(run, status, error, incomplete, CancellationToken.None) ?? throw new RunInterruptedException();

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

    private static JsonObject MessageDelta(string messageId, string text, bool first)
    {
        var textNode = new JsonObject { ["value"] = text };
        if (first)
        {
            textNode["annotations"] = new JsonArray();
        }

        return new JsonObject
        {
            ["id"] = messageId,
            ["object"] = "thread.message.delta",
            ["delta"] = new JsonObject { ["content"] = new JsonArray(new JsonObject { ["index"] = 0, ["type"] = "text", ["text"] = textNode }) },
        };
    }

    private static JsonObject FunctionCallStartDelta(string stepId, int index, string callId, string name) =>
        StepDelta(stepId, new JsonObject
        {
            ["index"] = index,
            ["id"] = callId,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = string.Empty, ["output"] = null },
        });

    private static JsonObject FunctionArgumentsDelta(string stepId, int index, string arguments) =>
        StepDelta(stepId, new JsonObject { ["index"] = index, ["type"] = "function", ["function"] = new JsonObject { ["arguments"] = arguments } });

    private static JsonObject StepDelta(string stepId, JsonObject toolCall) => new()
    {
        ["id"] = stepId,
        ["object"] = "thread.run.step.delta",
        ["delta"] = new JsonObject { ["step_details"] = new JsonObject { ["type"] = "tool_calls", ["tool_calls"] = new JsonArray(toolCall) } },
    };
}
