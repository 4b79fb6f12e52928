using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

public sealed class RunExecutorTests
{
    private static readonly ToolDefinition WeatherTool = new() { Type = ToolTypes.Function, Function = new FunctionDefinition { Name = "get_weather" } };

    [Fact]
    public async Task TextReply_CompletesRunWithMessageStepUsageAndEventsInOrder()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text("Hello", " there"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(20, ended.Usage!.PromptTokens);
        Assert.Equal(7, ended.Usage.CompletionTokens);
        var reply = (await engine.MessagesAsync(thread))[^1];
        Assert.Equal((MessageRoles.Assistant, MessageStatus.Completed, "Hello there"), (reply.Role, reply.Status, reply.Content[0].Text!.Value));
        var step = Assert.Single(await engine.StepsAsync(run));
        Assert.Equal((StepTypes.MessageCreation, StepStatus.Completed, reply.Id), (step.Type, step.Status, step.StepDetails.MessageCreation!.MessageId));
        var kinds = engine.Events.Events.Where(e => e.RunId == run.Id).Select(e => e.GetType().Name).ToList();
        Assert.Equal(
            ["RunStatusChanged", "ModelCallStarted", "StepStarted", "MessageStarted", "TextDelta", "TextDelta", "ModelCallEnded", "MessageCompleted", "StepCompleted", "RunStatusChanged"],
            kinds);
        var deltas = engine.Events.OfType<TextDelta>();
        Assert.Equal([(0, "Hello"), (5, " there")], deltas.Select(d => (d.Offset, d.Text)));
        Assert.True(engine.Events.Events.Select(e => e.Sequence).SequenceEqual(engine.Events.Events.Select(e => e.Sequence).Order()));
        Assert.Equal("scripted-model", engine.Events.OfType<ModelCallEnded>().Single().ResponseModel);
    }

    [Fact]
    public async Task FirstCallSeesInstructionsThenThreadMessages()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(userText: "What is 2+2?");

        await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);

        var (messages, _) = Assert.Single(engine.Model.Calls);
        Assert.Equal([(ChatRole.System, "Be brief."), (ChatRole.User, "What is 2+2?")], messages.Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public async Task FunctionCall_PausesInRequiresActionWithThePendingCall()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", """{"city":"Oslo"}""")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);
        var run = await engine.StartRunAsync(assistant, thread);

        var paused = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.RequiresAction, paused.Status);
        Assert.Equal(engine.Time.GetUtcNow().ToUnixTimeSeconds() + 600, paused.ExpiresAt);
        var call = Assert.Single(paused.RequiredAction!.SubmitToolOutputs.ToolCalls);
        Assert.Equal(("call_1", "get_weather", """{"city":"Oslo"}"""), (call.Id, call.Function.Name, call.Function.Arguments));
        var step = Assert.Single(await engine.StepsAsync(run));
        Assert.Equal((StepTypes.ToolCalls, StepStatus.InProgress), (step.Type, step.Status));
        Assert.Equal(30, step.Usage!.PromptTokens);
        var approval = Assert.Single(engine.Events.OfType<ApprovalRequested>());
        Assert.Equal(new PendingDecision("call_1", PendingDecision.ClientTool, ToolTypes.Function, "get_weather", """{"city":"Oslo"}"""), Assert.Single(approval.Pending));
        var last = engine.Events.Events.Where(e => e.RunId == run.Id).ToList();
        Assert.True(last.IndexOf(approval) < last.FindIndex(e => e is RunStatusChanged { Run.Status: RunStatus.RequiresAction }));
        var started = Assert.Single(engine.Events.OfType<ToolCallStarted>());
        Assert.Equal((step.Id, 0, "call_1", ToolTypes.Function, "get_weather"), (started.StepId, started.Index, started.CallId, started.ToolType, started.Name));
    }

    [Fact]
    public async Task SubmittedOutputs_AreReadBackByTheModelAndTheRunCompletes()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", "{}")), ScriptedReply.Text("Sunny."));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);
        var run = await engine.StartRunAsync(assistant, thread);
        await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        var (queued, toolStep) = await engine.Service.SubmitToolOutputsAsync(thread.Id, run.Id, [new ToolOutput("call_1", "21 C")], CancellationToken.None);
        var resumed = queued with { Status = RunStatus.InProgress };
        Assert.True(await engine.Transitions.TryMoveAsync(queued, resumed, CancellationToken.None));
        var ended = await engine.Executor.ExecuteAsync(resumed, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(StepStatus.Completed, toolStep.Status);
        var second = engine.Model.Calls.ToList()[1].Messages;
        var result = second.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal(("call_1", "21 C"), (result.CallId, result.Result?.ToString()));
        Assert.Equal(50, ended.Usage!.PromptTokens); // 30 for the call turn + 20 for the answer
    }

    [Fact]
    public async Task BuiltInTool_RunsInlineAndTheLoopContinues()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_7", EchoTool.ToolType, """{"text":"ping"}""")), ScriptedReply.Text("Echo said pong."));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([new ToolDefinition { Type = EchoTool.ToolType }]);
        var run = await engine.StartRunAsync(assistant, thread);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(["call_7"], echo.Calls);
        var steps = await engine.StepsAsync(run);
        Assert.Equal([StepTypes.ToolCalls, StepTypes.MessageCreation], steps.Select(s => s.Type));
        Assert.All(steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        var completed = Assert.Single(engine.Events.OfType<ToolCallCompleted>());
        Assert.Equal(("call_7", EchoTool.ToolType, "pong: ping", false), (completed.CallId, completed.ToolType, completed.Output, completed.IsError));
        var result = engine.Model.Calls.ToList()[1].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Equal("pong: ping", result.Result?.ToString());
    }

    [Fact]
    public async Task TooManyModelCalls_FailsTheRunNamingTheSetting()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(new RunEngineOptions { MaxModelCallsPerRun = 2 }, [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, "{}")), ScriptedReply.Calls(("call_2", EchoTool.ToolType, "{}")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([new ToolDefinition { Type = EchoTool.ToolType }]);

        var ended = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);

        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal(RunErrorCodes.ServerError, ended.LastError!.Code);
        Assert.Contains("MaxModelCallsPerRun", ended.LastError.Message, StringComparison.Ordinal);
        Assert.Equal(2, engine.Model.Calls.Count);
    }

    [Fact]
    public async Task CompletionTokensUsedUp_EndsIncompleteBeforeTheNextCall()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, "{}")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([new ToolDefinition { Type = EchoTool.ToolType }]);

        var ended = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread, new RunRequest { AssistantId = assistant.Id, MaxCompletionTokens = 9 }), CancellationToken.None);

        Assert.Equal(RunStatus.Incomplete, ended.Status);
        Assert.Equal("max_completion_tokens", ended.IncompleteDetails!.Reason);
        Assert.Single(engine.Model.Calls);
        Assert.Equal(9, engine.Model.Calls.Single().Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task ReplyCutAtTheTokenLimit_LeavesAnIncompleteMessageAndRun()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Truncated("Once upon a"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();

        var ended = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread, new RunRequest { AssistantId = assistant.Id, MaxCompletionTokens = 300 }), CancellationToken.None);

        Assert.Equal(RunStatus.Incomplete, ended.Status);
        Assert.Equal("max_completion_tokens", ended.IncompleteDetails!.Reason);
        var reply = (await engine.MessagesAsync(thread))[^1];
        Assert.Equal((MessageStatus.Incomplete, "max_tokens", "Once upon a"), (reply.Status, reply.IncompleteDetails!.Reason, reply.Content[0].Text!.Value));
    }

    [Fact]
    public async Task PromptOverMaxPromptTokens_EndsIncompleteWithoutCallingTheModel()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(userText: string.Join(' ', Enumerable.Repeat("word", 600)));

        var ended = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread, new RunRequest { AssistantId = assistant.Id, MaxPromptTokens = 256 }), CancellationToken.None);

        Assert.Equal(RunStatus.Incomplete, ended.Status);
        Assert.Equal("max_prompt_tokens", ended.IncompleteDetails!.Reason);
        Assert.Empty(engine.Model.Calls);
    }

    [Fact]
    public async Task LastMessagesTruncation_SendsOnlyTheNewestMessages()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(userText: "first");
        await engine.Service.AddMessageAsync(thread.Id, EngineHarness.UserMessage("second"), CancellationToken.None);

        await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread, new RunRequest
        {
            AssistantId = assistant.Id, TruncationStrategy = new TruncationStrategy { Type = "last_messages", LastMessages = 1 },
        }), CancellationToken.None);

        Assert.Equal(["Be brief.", "second"], engine.Model.Calls.Single().Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task EmptyReply_StillEndsWithAnEmptyAssistantMessage()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text());
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();

        var ended = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        var reply = (await engine.MessagesAsync(thread))[^1];
        Assert.Equal((MessageRoles.Assistant, 0), (reply.Role, reply.Content.Count));
    }

    [Fact]
    public async Task RunCancelledMidCall_ExecutorStopsWithoutOverwritingTheCancel()
    {
        using var engine = new EngineHarness();
        var gate = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Text("partial", " rest") with { Gate = gate });
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        using var stop = new CancellationTokenSource();

        var executing = engine.Executor.ExecuteAsync(run, stop.Token);
        await Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<TextDelta>?>(engine.Events.OfType<TextDelta>()), d => d.Count == 1, "the first delta");
        await engine.Service.CancelRunAsync(thread.Id, run.Id, CancellationToken.None);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executing);
        Assert.Equal(RunStatus.Cancelling, (await engine.GetRunAsync(run)).Status);
    }

    [Fact]
    public async Task ReasoningFromTheModel_IsPublishedButNotStored()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text("42") with
        {
            Updates = [new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("Think: 6*7")]), .. ScriptedReply.Text("42").Updates],
        });
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();

        await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);

        Assert.Equal("Think: 6*7", Assert.Single(engine.Events.OfType<ReasoningDelta>()).Text);
        Assert.Equal("42", (await engine.MessagesAsync(thread))[^1].Content.Single().Text!.Value);
    }
}
