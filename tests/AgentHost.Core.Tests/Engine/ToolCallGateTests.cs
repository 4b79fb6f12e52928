using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Tests.Support;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>Every call a tool source runs goes through the run's gate: allow, deny, rewrite, ask (a permission pause), after.</summary>
public sealed class ToolCallGateTests
{
    private static readonly ToolDefinition[] EchoTools = [new() { Type = EchoTool.ToolType }];

    [Fact]
    public async Task Allow_RunsTheCall_AndTheGateSawItsTypeNameAndArguments()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"ping"}""")), ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        var gate = new ScriptedGate(ToolGateDecision.Allow);
        using var attached = engine.Gates.Attach(run.Id, gate);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(["call_1"], echo.Calls);
        var seen = Assert.Single(gate.Seen);
        Assert.Equal((run.Id, "call_1", EchoTool.ToolType, EchoTool.ToolType, """{"text":"ping"}"""), (seen.Run.Id, seen.CallId, seen.ToolType, seen.Name, seen.Arguments));
        Assert.Equal("pong: ping", ResultsOfCall(engine, 1)["call_1"]);
    }

    [Fact]
    public async Task Deny_KeepsTheCallFromRunning_AndTheModelReadsTheReasonAsAnError()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"ping"}""")), ScriptedReply.Text("I may not."));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        using var attached = engine.Gates.Attach(run.Id, new ScriptedGate(ToolGateDecision.Deny("echo is off limits")));

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Empty(echo.Calls);
        Assert.Equal("Denied: echo is off limits", ResultsOfCall(engine, 1)["call_1"]);
        var completed = Assert.Single(engine.Events.OfType<ToolCallCompleted>());
        Assert.True(completed.IsError);
        Assert.Equal(EchoTool.ToolType, completed.ToolType);
        var record = Assert.Single(await engine.StepsAsync(run), s => s.Type == StepTypes.ToolCalls).StepDetails.ToolCalls!.Single();
        Assert.Equal(EchoTool.ToolType, record.Type);
        Assert.Equal("Denied: echo is off limits", EngineToolRecords.Describe(echo, record).Output);
    }

    [Fact]
    public async Task Rewrite_RunsTheCallWithTheNewArguments()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"secret"}""")), ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        using var attached = engine.Gates.Attach(run.Id, new ScriptedGate(ToolGateDecision.Rewrite("""{"text":"[redacted]"}""")));

        await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal("pong: [redacted]", ResultsOfCall(engine, 1)["call_1"]);
        Assert.Equal("""{"text":"[redacted]"}""", engine.Events.OfType<ToolCallCompleted>().Single().Arguments);
    }

    [Fact]
    public async Task After_ReplacesTheOutputTheModelReads_AlsoWhenThePromptIsRebuiltFromTheStore()
    {
        using var engine = new EngineHarness(builtIns: [new EchoTool()]);
        engine.Model.Enqueue(
            ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"ping"}""")),
            ScriptedReply.Calls(("call_2", EchoTool.ToolType, """{"text":"again"}""")),
            ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        using var attached = engine.Gates.Attach(run.Id, new ScriptedGate(ToolGateDecision.Allow) { After = output => output.Replace("pong", "PONG", StringComparison.Ordinal) });

        await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal("PONG: ping", ResultsOfCall(engine, 1)["call_1"]);
        Assert.Equal("PONG: ping", ResultsOfCall(engine, 2)["call_1"]);
        Assert.Equal("PONG: again", ResultsOfCall(engine, 2)["call_2"]);
        Assert.All(engine.Events.OfType<ToolCallCompleted>(), c => Assert.StartsWith("PONG", c.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ask_PausesAsAPermissionApproval_AndAnApprovedCallRunsBeforeTheNextModelCall()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"ping"}""")), ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        using var attached = engine.Gates.Attach(run.Id, new ScriptedGate(ToolGateDecision.Ask));

        var paused = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.RequiresAction, paused.Status);
        Assert.Empty(echo.Calls);
        var pending = Assert.Single(paused.RequiredAction!.SubmitToolOutputs.ToolCalls);
        Assert.Equal(("call_1", EngineToolRecords.PermissionFunction), (pending.Id, pending.Function.Name));
        Assert.Contains("\"tool\":\"echo\"", pending.Function.Arguments, StringComparison.Ordinal);
        var decision = Assert.Single(Assert.Single(engine.Events.OfType<ApprovalRequested>()).Pending);
        Assert.Equal((PendingDecision.Permission, EchoTool.ToolType, EchoTool.ToolType, """{"text":"ping"}"""), (decision.Kind, decision.ToolType, decision.Name, decision.Arguments));

        var ended = await SubmitAndResumeAsync(engine, run, "approve");

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(["call_1"], echo.Calls);
        Assert.Equal("pong: ping", ResultsOfCall(engine, 1)["call_1"]);
        Assert.All(await engine.StepsAsync(run), s => Assert.Equal(StepStatus.Completed, s.Status));
    }

    [Fact]
    public async Task Ask_AnsweredWithDeny_NeverRunsTheCall_AndTheModelReadsTheReason()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"ping"}""")), ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        using var attached = engine.Gates.Attach(run.Id, new ScriptedGate(ToolGateDecision.Ask));
        await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        var ended = await SubmitAndResumeAsync(engine, run, "deny: not today");

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Empty(echo.Calls);
        Assert.Equal("Denied: not today", ResultsOfCall(engine, 1)["call_1"]);
    }

    [Fact]
    public async Task AGateOfAnotherRun_DoesNotApply()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"ping"}""")), ScriptedReply.Text("ok"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync(EchoTools);
        var run = await engine.StartRunAsync(assistant, thread);
        using var attached = engine.Gates.Attach("run_other", new ScriptedGate(ToolGateDecision.Deny("no")));

        await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(["call_1"], echo.Calls);
    }

    private static async Task<ThreadRun> SubmitAndResumeAsync(EngineHarness engine, ThreadRun run, string answer)
    {
        var (queued, _) = await engine.Service.SubmitToolOutputsAsync(run.ThreadId, run.Id, [new ToolOutput("call_1", answer)], CancellationToken.None);
        var resumed = queued with { Status = RunStatus.InProgress };
        Assert.True(await engine.Transitions.TryMoveAsync(queued, resumed, CancellationToken.None));
        return await engine.Executor.ExecuteAsync(resumed, CancellationToken.None);
    }

    private static Dictionary<string, string?> ResultsOfCall(EngineHarness engine, int call) =>
        engine.Model.Calls.ToList()[call].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString());

    private sealed class ScriptedGate(ToolGateDecision decision) : IToolCallGate
    {
        public List<ToolCallCheck> Seen { get; } = [];

        public Func<string, string>? After { get; init; }

        public ValueTask<ToolGateDecision> BeforeAsync(ToolCallCheck call, CancellationToken cancellationToken)
        {
            Seen.Add(call);
            return ValueTask.FromResult(decision);
        }

        public ValueTask<string?> AfterAsync(ToolCallCheck call, ToolCallView result, CancellationToken cancellationToken) =>
            ValueTask.FromResult(After?.Invoke(result.Output));
    }
}
