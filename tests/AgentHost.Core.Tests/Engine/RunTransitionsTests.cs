using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Tests.Support;

namespace AgentHost.Core.Tests.Engine;

public sealed class RunTransitionsTests
{
    [Fact]
    public async Task TryMove_FromAStaleStatus_SavesNothingAndPublishesNothing()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        var published = engine.Events.Events.Count;

        var moved = await engine.Transitions.TryMoveAsync(run with { Status = RunStatus.Queued }, run with { Status = RunStatus.Cancelling }, CancellationToken.None);

        Assert.False(moved);
        Assert.Equal(RunStatus.InProgress, (await engine.GetRunAsync(run)).Status);
        Assert.Equal(published, engine.Events.Events.Count);
    }

    [Theory]
    [InlineData(RunStatus.Cancelled, StepStatus.Cancelled, "run_cancelled")]
    [InlineData(RunStatus.Expired, StepStatus.Expired, "run_expired")]
    [InlineData(RunStatus.Failed, StepStatus.Failed, "run_failed")]
    public async Task TryEnd_ClosesOpenStepsAndMessagesWithTheMatchingReason(string status, string stepStatus, string messageReason)
    {
        using var engine = new EngineHarness();
        var gate = new TaskCompletionSource();
        engine.Model.Enqueue(ScriptedReply.Text("half", " done") with { Gate = gate });
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        using var stop = new CancellationTokenSource();
        var executing = engine.Executor.ExecuteAsync(run, stop.Token);
        await Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<TextDelta>?>(engine.Events.OfType<TextDelta>()), d => d.Count == 1, "the first delta");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executing);
        var error = status == RunStatus.Failed ? new RunError(RunErrorCodes.ServerError, "boom") : null;

        var ended = await engine.Transitions.TryEndAsync(await engine.GetRunAsync(run), status, error, null, CancellationToken.None);

        Assert.Equal(status, ended!.Status);
        var step = Assert.Single(await engine.StepsAsync(run));
        Assert.Equal(stepStatus, step.Status);
        Assert.Equal(status == RunStatus.Failed ? "boom" : null, step.LastError?.Message);
        var message = (await engine.MessagesAsync(thread))[^1];
        Assert.Equal((MessageStatus.Incomplete, messageReason), (message.Status, message.IncompleteDetails!.Reason));
        var tail = engine.Events.Events.TakeLast(3).ToList();
        Assert.IsType<StepCompleted>(tail[0]);
        Assert.IsType<MessageCompleted>(tail[1]);
        Assert.Equal(status, Assert.IsType<RunStatusChanged>(tail[2]).Run.Status);
        Assert.True(((RunStatusChanged)tail[2]).EndsOrPauses);
    }

    [Fact]
    public async Task TryEnd_StampsTheTimeOfTheEndingStatusOnly()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        engine.Time.Advance(TimeSpan.FromSeconds(42));

        var ended = await engine.Transitions.TryEndAsync(run, RunStatus.Cancelled, null, null, CancellationToken.None);

        Assert.Equal((engine.Time.GetUtcNow().ToUnixTimeSeconds(), (long?)null, (long?)null), (ended!.CancelledAt, ended.CompletedAt, ended.FailedAt));
        Assert.Null(ended.RequiredAction);
        Assert.Null(ended.ExpiresAt);
    }

    [Fact]
    public async Task TryEnd_WhenSomeoneElseEndedItFirst_ReturnsNull()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        Assert.NotNull(await engine.Transitions.TryEndAsync(run, RunStatus.Cancelled, null, null, CancellationToken.None));

        var second = await engine.Transitions.TryEndAsync(run, RunStatus.Completed, null, null, CancellationToken.None);

        Assert.Null(second);
        Assert.Equal(RunStatus.Cancelled, (await engine.GetRunAsync(run)).Status);
    }

    [Fact]
    public void SumUsage_AddsEveryStepsUsageAndIsNullWithoutAny()
    {
        RunStep Step(int prompt, int completion) => new()
        {
            Id = "step", CreatedAt = 0, RunId = "run", AssistantId = "asst", ThreadId = "thread", Type = StepTypes.ToolCalls,
            StepDetails = new StepDetails { Type = StepTypes.ToolCalls }, Usage = new Usage { PromptTokens = prompt, CompletionTokens = completion },
        };

        var total = Core.Engine.RunTransitions.SumUsage([Step(10, 2), Step(5, 1)]);

        Assert.Equal((15, 3, 18), (total!.PromptTokens, total.CompletionTokens, total.TotalTokens));
        Assert.Null(Core.Engine.RunTransitions.SumUsage([]));
    }
}
