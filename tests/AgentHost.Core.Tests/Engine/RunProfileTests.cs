using System.Collections.Concurrent;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Tests.Support;
using AgentHost.Testing;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>Runs of another front door (a <see cref="RunProfile"/>): history from their <see cref="IRunHistory"/>, and the profile's rules.</summary>
public sealed class RunProfileTests
{
    private static readonly ToolDefinition WeatherTool = new() { Type = ToolTypes.Function, Function = new FunctionDefinition { Name = "get_weather" } };

    [Fact]
    public async Task ProfiledRun_ReadsItsHistory_AndAClientCallEndsItCompletedWithTheCallRecorded()
    {
        var history = new FixedHistory([new ChatMessage(ChatRole.User, "Weather in Oslo?")]);
        using var engine = new EngineHarness(histories: [history]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", """{"city":"Oslo"}""")));
        var run = await StartAsync(engine, new RunProfile { EntryPoint = FixedHistory.Door, EndsAtClientToolCalls = true }, [WeatherTool]);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Null(ended.RequiredAction);
        var (messages, _) = Assert.Single(engine.Model.Calls);
        Assert.Equal([(ChatRole.System, "Be brief."), (ChatRole.User, "Weather in Oslo?")], messages.Select(m => (m.Role, m.Text)));
        var step = Assert.Single(await engine.StepsAsync(run));
        Assert.Equal(StepStatus.Completed, step.Status);
        Assert.Equal(("get_weather", (string?)null), (step.StepDetails.ToolCalls![0].Function!.Name, step.StepDetails.ToolCalls[0].Function!.Output));
        Assert.Equal([run.Id], history.Ended);
    }

    [Fact]
    public async Task MaxToolCalls_ATurnAskingForMoreEngineCalls_EndsIncompleteWithoutRunningThem()
    {
        var echo = new EchoTool();
        using var engine = new EngineHarness(builtIns: [echo], histories: [new FixedHistory([new ChatMessage(ChatRole.User, "Echo twice.")])]);
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", EchoTool.ToolType, """{"text":"a"}"""), ("call_2", EchoTool.ToolType, """{"text":"b"}""")));
        var run = await StartAsync(engine, new RunProfile { EntryPoint = FixedHistory.Door, MaxToolCalls = 1 }, [new ToolDefinition { Type = EchoTool.ToolType }]);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Incomplete, ended.Status);
        Assert.Equal("max_tool_calls", ended.IncompleteDetails!.Reason);
        Assert.Empty(echo.Calls);
    }

    [Fact]
    public async Task NoTruncation_AConversationTooLongForTheWindow_FailsWithContextLengthExceeded()
    {
        var options = new RunEngineOptions { OutputReserveTokens = 4_096 };
        options.ContextWindows["gpt-4o"] = 4_200;
        using var engine = new EngineHarness(options, histories: [new FixedHistory([new ChatMessage(ChatRole.User, string.Join(' ', Enumerable.Repeat("word", 400)))])]);
        var run = await StartAsync(engine, new RunProfile { EntryPoint = FixedHistory.Door, NoTruncation = true }, []);

        var ended = await engine.Executor.ExecuteAsync(run, CancellationToken.None);

        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal(RunErrorCodes.ContextLengthExceeded, ended.LastError!.Code);
        Assert.Empty(engine.Model.Calls);
    }

    [Fact]
    public async Task ForegroundRunLeftInProgressByADeadWorker_EndsFailedInsteadOfResuming()
    {
        var history = new FixedHistory([new ChatMessage(ChatRole.User, "Hi")]);
        using var engine = new EngineHarness(histories: [history]);
        var run = await StartAsync(engine, new RunProfile { EntryPoint = FixedHistory.Door, ResumesAfterCrash = false }, []);
        var now = engine.Time.GetUtcNow();
        Assert.NotNull(await engine.Store.TryLeaseRunAsync(run.Id, "worker_dead", now, now + engine.Options.LeaseDuration, CancellationToken.None));
        engine.Time.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        var worker = engine.NewWorker();
        await worker.StartAsync(CancellationToken.None);
        var ended = await Eventually.ReturnsAsync(() => engine.Store.GetRunAsync(run.ThreadId, run.Id, CancellationToken.None), r => RunStatus.IsTerminal(r.Status), "the run to end");
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal(RunErrorCodes.ServerError, ended.LastError!.Code);
        Assert.Empty(engine.Model.Calls);
        Assert.Equal([run.Id], history.Ended);
    }

    /// <summary>A run of the test's front door on its own record (thread id = run id, as a response's), moved to in_progress.</summary>
    private static async Task<ThreadRun> StartAsync(EngineHarness engine, RunProfile profile, IReadOnlyList<ToolDefinition> tools)
    {
        var id = IdGenerator.New("resp");
        var queued = new ThreadRun
        {
            Id = id, CreatedAt = engine.Time.UnixNow(), AssistantId = string.Empty, ThreadId = id, Model = "gpt-4o", Instructions = "Be brief.", Tools = tools, Profile = profile,
        };
        Assert.Null(await engine.Store.TryCreateRunAsync(queued, null, [], CancellationToken.None));
        var started = queued with { Status = RunStatus.InProgress, StartedAt = engine.Time.UnixNow() };
        Assert.True(await engine.Transitions.TryMoveAsync(queued, started, CancellationToken.None));
        return started;
    }

    private sealed class FixedHistory(IReadOnlyList<ChatMessage> messages) : IRunHistory
    {
        public const string Door = "test_door";

        public ConcurrentQueue<string> Ended { get; } = new();

        public string EntryPoint => Door;

        public Task<IReadOnlyList<ChatMessage>> LoadAsync(ThreadRun run, CancellationToken cancellationToken) => Task.FromResult(messages);

        public Task RunEndedAsync(ThreadRun run, CancellationToken cancellationToken)
        {
            Ended.Enqueue(run.Id);
            return Task.CompletedTask;
        }
    }
}
