using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Models;
using AgentHost.Core.Tests.Support;

namespace AgentHost.Core.Tests.Engine;

public sealed class RunWorkerTests
{
    private static readonly ToolDefinition WeatherTool = new() { Type = ToolTypes.Function, Function = new FunctionDefinition { Name = "get_weather" } };

    [Fact]
    public async Task QueuedRun_IsLeasedStartedAndCompleted()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text("Done."));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        using var worker = await StartAsync(engine);

        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(run.Id);

        var ended = await UntilStatusAsync(engine, run, RunStatus.Completed);
        Assert.Equal(engine.Time.GetUtcNow().ToUnixTimeSeconds(), ended.StartedAt);
        Assert.Equal("Done.", (await engine.MessagesAsync(thread))[^1].Content[0].Text!.Value);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ModelFailure_FailsTheRunWithTheModelsErrorCode()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Fails(new ModelCallException(RunErrorCodes.RateLimitExceeded, "Slow down.")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        using var worker = await StartAsync(engine);

        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(run.Id);

        var failed = await UntilStatusAsync(engine, run, RunStatus.Failed);
        Assert.Equal((RunErrorCodes.RateLimitExceeded, "Slow down."), (failed.LastError!.Code, failed.LastError.Message));
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task UnexpectedFault_FailsTheRunAsServerError()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Fails(new InvalidOperationException("disk on fire")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        using var worker = await StartAsync(engine);

        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(run.Id);

        var failed = await UntilStatusAsync(engine, run, RunStatus.Failed);
        Assert.Equal(RunErrorCodes.ServerError, failed.LastError!.Code);
        Assert.Contains("disk on fire", failed.LastError.Message, StringComparison.Ordinal);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CancelDuringAModelCall_EndsCancelledWithTheMessageIncomplete()
    {
        using var engine = new EngineHarness();
        var gate = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Text("Once", " upon") with { Gate = gate });
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        using var worker = await StartAsync(engine);
        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(run.Id);
        await Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<Core.Events.TextDelta>?>(engine.Events.OfType<Core.Events.TextDelta>()), d => d.Count == 1, "the first delta");

        await engine.Service.CancelRunAsync(thread.Id, run.Id, CancellationToken.None);

        await UntilStatusAsync(engine, run, RunStatus.Cancelled);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(await engine.StepsAsync(run)).Status);
        var message = (await engine.MessagesAsync(thread))[^1];
        Assert.Equal((MessageStatus.Incomplete, "run_cancelled"), (message.Status, message.IncompleteDetails!.Reason));
        gate.TrySetResult();
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CancelOfAPausedRun_IsFinishedByTheWorker()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", "{}")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);
        using var worker = await StartAsync(engine);
        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(run.Id);
        await UntilStatusAsync(engine, run, RunStatus.RequiresAction);

        await engine.Service.CancelRunAsync(thread.Id, run.Id, CancellationToken.None);

        await UntilStatusAsync(engine, run, RunStatus.Cancelled);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(await engine.StepsAsync(run)).Status);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RunLeftInProgressByADeadWorker_IsResumedFromItsLastFinishedStep()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Text("Recovered."));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        var now = engine.Time.GetUtcNow();
        Assert.NotNull(await engine.Store.TryLeaseRunAsync(run.Id, "worker_dead", now, now + engine.Options.LeaseDuration, CancellationToken.None));
        var orphan = new RunStep
        {
            Id = IdGenerator.Step(), CreatedAt = run.CreatedAt, RunId = run.Id, AssistantId = assistant.Id, ThreadId = thread.Id, Type = StepTypes.ToolCalls,
            StepDetails = new StepDetails { Type = StepTypes.ToolCalls, ToolCalls = [] },
        };
        await engine.Store.SaveStepAsync(orphan, CancellationToken.None);
        engine.Time.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        using var worker = await StartAsync(engine);

        await UntilStatusAsync(engine, run, RunStatus.Completed);
        var steps = await engine.StepsAsync(run);
        Assert.DoesNotContain(steps, s => s.Id == orphan.Id);
        Assert.Equal("Recovered.", (await engine.MessagesAsync(thread))[^1].Content[0].Text!.Value);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Sweep_ExpiresRunsPausedPastTheirDeadline()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", "{}")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);
        var run = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);
        using var worker = engine.NewWorker();
        engine.Time.Advance(engine.Options.RequiresActionTimeout + TimeSpan.FromSeconds(1));

        await worker.SweepAsync(CancellationToken.None);

        Assert.Equal(RunStatus.Expired, (await engine.GetRunAsync(run)).Status);
    }

    [Fact]
    public async Task OneSlot_RunsQueuedRunsOneAfterAnother()
    {
        using var engine = new EngineHarness(new RunEngineOptions { MaxConcurrentRuns = 1 });
        var gate = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Text("first", "!") with { Gate = gate }, ScriptedReply.Text("second"));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var (_, other) = await engine.CreateAssistantAndThreadAsync();
        using var worker = await StartAsync(engine);
        var first = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        var second = await engine.Service.CreateRunAsync(other.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(first.Id);
        await UntilStatusAsync(engine, first, RunStatus.InProgress);
        engine.Service.Start(second.Id);
        await Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<Core.Events.TextDelta>?>(engine.Events.OfType<Core.Events.TextDelta>()), d => d.Count == 1, "the first run's delta");

        Assert.Equal(RunStatus.Queued, (await engine.GetRunAsync(second)).Status);
        gate.SetResult();

        await UntilStatusAsync(engine, first, RunStatus.Completed);
        await UntilStatusAsync(engine, second, RunStatus.Completed);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ARunWhoseLeaseLapsedAndWasTakenOver_IsStoppedHere_AndWritesNothingMore()
    {
        // No timed sweeps: the test runs the one sweep that finds the lease gone.
        using var engine = new EngineHarness(new RunEngineOptions { SweepInterval = TimeSpan.FromHours(1) });
        var gate = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Text("stale", " answer") with { Gate = gate });
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        using var worker = await StartAsync(engine);
        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, IdGenerator.Run(), CancellationToken.None);
        engine.Service.Start(run.Id);
        await Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<Core.Events.TextDelta>?>(engine.Events.OfType<Core.Events.TextDelta>()), d => d.Count == 1, "the first delta");

        // This worker stalls past its lease; another node takes the run over.
        engine.Time.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        var now = engine.Time.GetUtcNow();
        Assert.NotNull(await engine.Store.TryLeaseRunAsync(run.Id, "node-b", now, now + engine.Options.LeaseDuration, CancellationToken.None));
        await worker.SweepAsync(CancellationToken.None);
        await Eventually.ReturnsAsync(() => Task.FromResult<string?>(engine.Cancellations.IsExecuting(run.Id) ? null : "stopped"), _ => true, "the stale execution to stop");
        gate.TrySetResult();

        var messages = await engine.MessagesAsync(thread);
        Assert.DoesNotContain(messages, m => m.Status == MessageStatus.Completed && m.Role == MessageRoles.Assistant);
        Assert.Equal(RunStatus.InProgress, (await engine.GetRunAsync(run)).Status);
        Assert.Null(await engine.Store.TryLeaseRunAsync(run.Id, "node-c", now, now + engine.Options.LeaseDuration, CancellationToken.None));
        Assert.Equal([run.Id], await engine.Store.RenewLeasesAsync("node-b", now + engine.Options.LeaseDuration, CancellationToken.None));
        await worker.StopAsync(CancellationToken.None);
    }

    private static async Task<RunWorker> StartAsync(EngineHarness engine)
    {
        var worker = engine.NewWorker();
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    private static Task<ThreadRun> UntilStatusAsync(EngineHarness engine, ThreadRun run, string status) =>
        Eventually.ReturnsAsync(() => engine.Store.GetRunAsync(run.ThreadId, run.Id, CancellationToken.None), r => r.Status == status, $"{run.Id} to be {status}");
}
