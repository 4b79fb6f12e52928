using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using AgentHost.Core.Tests.Support;
using AgentHost.Core.Tools.SubAssistants;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>The <c>assistant</c> tool source with the engine and a scripted model: child runs inline, refusals, timeout, cancel.</summary>
public sealed class SubAssistantToolTests
{
    private static readonly SubAssistantOptions Options = new() { MaxDepth = 2, Timeout = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task ACall_RunsTheChildInlineOnALinkedThread_AndTheParentReadsItsAnswer()
    {
        using var engine = NewEngine();
        var child = await CreateAssistantAsync(engine, "helper");
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "helper", """{"task":"say hi"}""")), ScriptedReply.Text("hi!"), ScriptedReply.Text("The helper said hi."));
        var (parent, thread) = await engine.CreateAssistantAndThreadAsync([AssistantTool(child.Id)]);
        var run = await engine.StartRunAsync(parent, thread);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal("hi!", ResultsOfCall(engine, 2)["call_1"]);
        Assert.Equal("say hi", engine.Model.Calls.ToList()[1].Messages.Last().Text);
        var record = SubAssistantRecord(await engine.StepsAsync(run));
        Assert.Equal((child.Id, RunStatus.Completed, "hi!"), (record.AssistantId, record.Status, record.Output));
        var childRun = await engine.Store.GetRunAsync(record.ThreadId!, record.RunId!, CancellationToken.None);
        Assert.Equal((RunStatus.Completed, run.Id), (childRun!.Status, childRun.Metadata[SubAssistantTool.ParentRunKey]));
        Assert.Equal(run.Id, childRun.Metadata["agenthost_parent_runs"]);
        var childThread = await engine.Store.GetThreadAsync(record.ThreadId!, CancellationToken.None);
        Assert.Equal((thread.Id, "call_1"), (childThread!.Metadata[SubAssistantTool.ParentThreadKey], childThread.Metadata[SubAssistantTool.ParentCallKey]));
    }

    [Fact]
    public async Task ACallBackIntoItsOwnChain_IsAnErrorTheModelReads_WithoutAChildRun()
    {
        using var engine = NewEngine();
        var (parent, thread) = await engine.CreateAssistantAndThreadAsync();
        parent = parent with { Name = "self", Tools = [AssistantTool(parent.Id)] };
        await engine.Store.UpdateAssistantAsync(parent, CancellationToken.None);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "self", """{"task":"loop"}""")), ScriptedReply.Text("I cannot call myself."));
        var run = await engine.StartRunAsync(parent, thread);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(2, engine.Model.Calls.Count);
        Assert.Contains("already running above this call", ResultsOfCall(engine, 1)["call_1"], StringComparison.Ordinal);
        Assert.Null(SubAssistantRecord(await engine.StepsAsync(run)).RunId);
    }

    [Fact]
    public async Task AChildPastTheTimeout_EndsFailed_AndTheParentGoesOnWithTheError()
    {
        using var engine = NewEngine();
        var child = await CreateAssistantAsync(engine, "helper");
        var held = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "helper", """{"task":"slow"}""")), ScriptedReply.Text("late", " answer") with { Gate = held }, ScriptedReply.Text("It timed out."));
        var (parent, thread) = await engine.CreateAssistantAndThreadAsync([AssistantTool(child.Id)]);
        var run = await engine.StartRunAsync(parent, thread);

        var executing = engine.Executor.ExecuteAsync(run, CancellationToken.None);
        await Eventually.TrueAsync(() => engine.Model.Calls.Count == 2, "the child's model call");
        engine.Time.Advance(Options.Timeout + TimeSpan.FromSeconds(1));
        var ended = await executing.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Completed, ended.Status);
        var record = SubAssistantRecord(await engine.StepsAsync(run));
        Assert.Equal(RunStatus.Failed, record.Status);
        Assert.Contains("did not finish within", ResultsOfCall(engine, 2)["call_1"], StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await engine.Store.GetRunAsync(record.ThreadId!, record.RunId!, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task CancellingTheParent_CancelsTheChild()
    {
        using var engine = NewEngine();
        var child = await CreateAssistantAsync(engine, "helper");
        var held = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "helper", """{"task":"slow"}""")), ScriptedReply.Text("late", " answer") with { Gate = held });
        var (parent, thread) = await engine.CreateAssistantAndThreadAsync([AssistantTool(child.Id)]);
        var run = await engine.StartRunAsync(parent, thread);
        using var stop = new CancellationTokenSource();

        var executing = engine.Executor.ExecuteAsync(run, stop.Token);
        await Eventually.TrueAsync(() => engine.Model.Calls.Count == 2, "the child's model call");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executing);
        var record = SubAssistantRecord(await engine.StepsAsync(run));
        Assert.Equal(RunStatus.Cancelled, (await engine.Store.GetRunAsync(record.ThreadId!, record.RunId!, CancellationToken.None))!.Status);
    }

    private static EngineHarness NewEngine()
    {
        var services = new HarnessServices();
        var engine = new EngineHarness(builtIns: [new SubAssistantTool(services, Options)]);
        services.Engine = engine;
        return engine;
    }

    private static async Task<Assistant> CreateAssistantAsync(EngineHarness engine, string name)
    {
        var assistant = new Assistant { Id = IdGenerator.Assistant(), CreatedAt = engine.Time.UnixNow(), Model = "gpt-4o", Name = name, Instructions = "Help." };
        await engine.Store.CreateAssistantAsync(assistant, CancellationToken.None);
        return assistant;
    }

    private static ToolDefinition AssistantTool(string assistantId) => new()
    {
        Type = SubAssistantTool.ToolType,
        Settings = new() { ["assistant_id"] = System.Text.Json.JsonSerializer.SerializeToElement(assistantId) },
    };

    private static SubAssistantCall SubAssistantRecord(IReadOnlyList<RunStep> steps)
    {
        var call = steps.Single(s => s.Type == StepTypes.ToolCalls).StepDetails.ToolCalls!.Single();
        Assert.Equal(SubAssistantTool.ToolType, call.Type);
        return System.Text.Json.JsonSerializer.Deserialize<SubAssistantCall>(call.Details!.Value.GetRawText(),
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower })!;
    }

    private static Dictionary<string, string?> ResultsOfCall(EngineHarness engine, int call) =>
        engine.Model.Calls.ToList()[call].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString());

    /// <summary>The harness's engine parts, resolved when the tool first needs them (the tool is built before the harness).</summary>
    private sealed class HarnessServices : IServiceProvider
    {
        public EngineHarness? Engine { get; set; }

        public object? GetService(Type serviceType) => serviceType switch
        {
            _ when serviceType == typeof(IAgentStore) => Engine!.Store,
            _ when serviceType == typeof(RunService) => Engine!.Service,
            _ when serviceType == typeof(RunExecutor) => Engine!.Executor,
            _ when serviceType == typeof(RunTransitions) => Engine!.Transitions,
            _ when serviceType == typeof(RunCancellations) => Engine!.Cancellations,
            _ when serviceType == typeof(RunEngineOptions) => Engine!.Options,
            _ when serviceType == typeof(TimeProvider) => Engine!.Time,
            _ => null,
        };
    }
}
