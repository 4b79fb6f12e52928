using AgentHost.Core.Domain;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IAgentStore"/> must do with runs and steps: one active run per thread, compare-and-set, leases.</summary>
public abstract class RunStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IAgentStore Store => Stores.Agents;

    [StoreFact]
    public async Task TryCreateRun_RefusesASecondActiveRunAndWritesNothing()
    {
        var thread = Objects.Thread();
        var first = Objects.Run(thread.Id);
        Assert.Null(await Store.TryCreateRunAsync(first, thread, [Objects.Message(thread.Id)], None));

        var message = Objects.Message(thread.Id);
        var active = await Store.TryCreateRunAsync(Objects.Run(thread.Id), null, [message], None);

        Assert.Equal(first.Id, active?.Id);
        Assert.Single((await Store.ListRunsAsync(thread.Id, ListQuery.Default, None)).Data);
        Assert.Null(await Store.GetMessageAsync(thread.Id, message.Id, None));
        Assert.NotNull(await Store.GetThreadAsync(thread.Id, None));
        Assert.Single(await Store.GetThreadMessagesAsync(thread.Id, None));
    }

    [StoreFact]
    public async Task TryAddMessage_IsRefusedWhileARunIsActiveAndAllowedAfter()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        var run = Objects.Run(thread.Id, RunStatus.RequiresAction);
        await Store.TryCreateRunAsync(run, null, [], None);

        Assert.Equal(run.Id, (await Store.TryAddMessageAsync(Objects.Message(thread.Id), None))?.Id);
        Assert.True(await Store.TryUpdateRunAsync(run with { Status = RunStatus.Completed }, RunStatus.RequiresAction, None));
        Assert.Null(await Store.TryAddMessageAsync(Objects.Message(thread.Id), None));
        Assert.Single(await Store.GetThreadMessagesAsync(thread.Id, None));
    }

    [StoreFact]
    public async Task TryUpdateRun_RacingWritersExactlyOneWins()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        for (var round = 0; round < 25; round++)
        {
            var run = Objects.Run(thread.Id);
            Assert.Null(await Store.TryCreateRunAsync(run, null, [], None));
            using var start = new ManualResetEventSlim();
            Task<bool> Race(string status) => Task.Run(() =>
            {
                start.Wait();
                return Store.TryUpdateRunAsync(run with { Status = status }, RunStatus.Queued, None);
            });

            var toProgress = Race(RunStatus.InProgress);
            var toCancelling = Race(RunStatus.Cancelling);
            start.Set();
            var results = await Task.WhenAll(toProgress, toCancelling);

            Assert.Single(results, won => won);
            var stored = await Store.GetRunAsync(thread.Id, run.Id, None);
            Assert.Equal(results[0] ? RunStatus.InProgress : RunStatus.Cancelling, stored?.Status);
            Assert.True(await Store.TryUpdateRunAsync(stored! with { Status = RunStatus.Cancelled }, stored!.Status, None));
        }
    }

    [StoreFact]
    public async Task TryUpdateRunWithStep_SavesBothOnlyWhenTheStatusStillMatches()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        var run = Objects.Run(thread.Id, RunStatus.RequiresAction);
        await Store.TryCreateRunAsync(run, null, [], None);
        var open = Objects.Step(run);
        await Store.SaveStepAsync(open, None);

        var answered = open with { Status = StepStatus.Completed };
        Assert.False(await Store.TryUpdateRunWithStepAsync(run with { Status = RunStatus.Queued }, RunStatus.Cancelling, answered, None));
        Assert.Equal(RunStatus.RequiresAction, (await Store.GetRunAsync(thread.Id, run.Id, None))?.Status);
        Assert.Equal(StepStatus.InProgress, (await Store.GetStepAsync(thread.Id, run.Id, open.Id, None))?.Status);

        Assert.True(await Store.TryUpdateRunWithStepAsync(run with { Status = RunStatus.Queued }, RunStatus.RequiresAction, answered, None));
        Assert.Equal(RunStatus.Queued, (await Store.GetRunAsync(thread.Id, run.Id, None))?.Status);
        Assert.Equal(StepStatus.Completed, (await Store.GetStepAsync(thread.Id, run.Id, open.Id, None))?.Status);
    }

    [StoreFact]
    public async Task TryUpdateRunAfterMessage_SavesTheMessageAndStepAlways_AndTheRunOnlyWhenTheStatusStillMatches()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        var run = Objects.Run(thread.Id, RunStatus.InProgress);
        await Store.TryCreateRunAsync(run, null, [], None);
        var message = Objects.Message(thread.Id, run.Id, MessageStatus.InProgress);
        var step = Objects.Step(run);
        await Store.SaveMessageWithStepAsync(message, step, None);

        // Another writer moved the run first: the message and its step are still saved as completed, the run is not.
        var completed = message with { Status = MessageStatus.Completed, Content = [MessageContent.FromText("the answer")] };
        var done = step with { Status = StepStatus.Completed };
        Assert.False(await Store.TryUpdateRunAfterMessageAsync(run with { Status = RunStatus.Completed }, RunStatus.Queued, completed, done, None));
        Assert.Equal(RunStatus.InProgress, (await Store.GetRunAsync(thread.Id, run.Id, None))?.Status);
        Assert.Equal((MessageStatus.Completed, "the answer"), await MessageOfAsync(thread.Id, message.Id));
        Assert.Equal(StepStatus.Completed, (await Store.GetStepAsync(thread.Id, run.Id, step.Id, None))?.Status);

        Assert.True(await Store.TryUpdateRunAfterMessageAsync(run with { Status = RunStatus.Completed }, RunStatus.InProgress,
            completed with { Content = [MessageContent.FromText("final")] }, done, None));
        Assert.Equal(RunStatus.Completed, (await Store.GetRunAsync(thread.Id, run.Id, None))?.Status);
        Assert.Equal((MessageStatus.Completed, "final"), await MessageOfAsync(thread.Id, message.Id));
    }

    private async Task<(string?, string?)> MessageOfAsync(string threadId, string id) =>
        await Store.GetMessageAsync(threadId, id, None) is { } stored ? (stored.Status, stored.Content[0].Text?.Value) : (null, null);

    [StoreFact]
    public async Task StepReasoning_IsKeptWithTheStep_TextPayloadAndRedactedParts()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        var run = Objects.Run(thread.Id, RunStatus.InProgress);
        await Store.TryCreateRunAsync(run, null, [], None);
        var reasoning = new StepReasoning
        {
            Id = "rs_contract",
            Parts = [new ReasoningPart("Thinking \"quoted\" é", "sig-1"), new ReasoningPart(string.Empty, "opaque==") { Redacted = true }],
        };
        var step = Objects.Step(run) with { Reasoning = reasoning };
        await Store.SaveStepAsync(step, None);
        var plain = Objects.Step(run);
        await Store.SaveStepAsync(plain, None);

        var kept = await Store.GetStepAsync(thread.Id, run.Id, step.Id, None);
        Assert.Equal("rs_contract", kept?.Reasoning?.Id);
        Assert.Equal(reasoning.Parts, kept!.Reasoning!.Parts);
        Assert.Null((await Store.GetStepAsync(thread.Id, run.Id, plain.Id, None))?.Reasoning);
    }

    [StoreFact]
    public async Task LeaseAndStart_MovesAQueuedRunToInProgress_AndLeasesAnyOtherAsItIs()
    {
        var queued = await QueuedRunAsync();
        var running = await QueuedRunAsync(RunStatus.InProgress);
        var now = Time.GetUtcNow();

        var started = await Store.TryLeaseAndStartRunAsync(queued.Id, "node-a", now, now.AddSeconds(30), 1234, None);
        Assert.Equal((RunStatus.InProgress, 1234L, true), (started?.Run.Status, started?.Run.StartedAt, started?.Started));
        var stored = await Store.GetRunAsync(queued.ThreadId, queued.Id, None);
        Assert.Equal((RunStatus.InProgress, 1234L), (stored?.Status, stored?.StartedAt));
        Assert.Null(await Store.TryLeaseAndStartRunAsync(queued.Id, "node-b", now, now.AddSeconds(30), 5678, None));

        var resumed = await Store.TryLeaseAndStartRunAsync(running.Id, "node-a", now, now.AddSeconds(30), 5678, None);
        Assert.Equal((RunStatus.InProgress, false), (resumed?.Run.Status, resumed?.Started));
        Assert.Null((await Store.GetRunAsync(running.ThreadId, running.Id, None))?.StartedAt);
        Assert.Null(await Store.TryLeaseAndStartRunAsync((await QueuedRunAsync(RunStatus.Completed)).Id, "node-a", now, now.AddSeconds(30), 5678, None));
    }

    [StoreFact]
    public async Task LeaseAndStart_HandsBackTheRunsSteps_OldestFirst()
    {
        var fresh = await QueuedRunAsync();
        var resumed = await QueuedRunAsync();
        var first = Objects.Step(resumed) with { CreatedAt = 1 };
        var second = Objects.Step(resumed) with { CreatedAt = 2 };
        await Store.SaveStepAsync(first, None);
        await Store.SaveStepAsync(second, None);
        var now = Time.GetUtcNow();

        Assert.Empty((await Store.TryLeaseAndStartRunAsync(fresh.Id, "node-a", now, now.AddSeconds(30), 1234, None))!.Steps!);
        var lease = await Store.TryLeaseAndStartRunAsync(resumed.Id, "node-a", now, now.AddSeconds(30), 1234, None);
        Assert.Equal([first.Id, second.Id], lease!.Steps!.Select(s => s.Id));
    }

    [StoreFact]
    public async Task Lease_IsExclusiveUntilItExpires()
    {
        var run = await QueuedRunAsync();
        var now = Time.GetUtcNow();

        Assert.Equal(run.Id, (await Store.TryLeaseRunAsync(run.Id, "node-a", now, now.AddSeconds(30), None))?.Run.Id);
        Assert.Null(await Store.TryLeaseRunAsync(run.Id, "node-b", now, now.AddSeconds(30), None));
        Assert.NotNull(await Store.TryLeaseRunAsync(run.Id, "node-a", now, now.AddSeconds(30), None));
        Assert.DoesNotContain(run.Id, await Store.FindRunsToResumeAsync(now, DateTimeOffset.MaxValue, 10, None));

        Time.Advance(TimeSpan.FromSeconds(31));
        var later = Time.GetUtcNow();

        Assert.Contains(run.Id, await Store.FindRunsToResumeAsync(later, DateTimeOffset.MaxValue, 10, None));
        Assert.NotNull(await Store.TryLeaseRunAsync(run.Id, "node-b", later, later.AddSeconds(30), None));
        Assert.Null(await Store.TryLeaseRunAsync(run.Id, "node-a", later, later.AddSeconds(30), None));
    }

    [StoreFact]
    public async Task Lease_ReturnsTheProjectAndKeyTheRunWasCreatedWith()
    {
        ThreadRun withKey;
        using (ProjectScope.Enter("proj_a", "key_a"))
        {
            withKey = await QueuedRunAsync();
        }

        var withoutKey = await QueuedRunAsync();
        var now = Time.GetUtcNow();

        var leased = await Store.TryLeaseRunAsync(withKey.Id, "node-a", now, now.AddSeconds(30), None);
        var leasedWithoutKey = await Store.TryLeaseRunAsync(withoutKey.Id, "node-a", now, now.AddSeconds(30), None);

        Assert.Equal(("proj_a", "key_a"), (leased?.Project, leased?.KeyId));
        Assert.Equal((Projects.Default, (string?)null), (leasedWithoutKey?.Project, leasedWithoutKey?.KeyId));
    }

    [StoreFact]
    public async Task RenewLeases_KeepsTheOwnersRunsAndReleaseFreesOne()
    {
        var mine = await QueuedRunAsync();
        var theirs = await QueuedRunAsync();
        var now = Time.GetUtcNow();
        await Store.TryLeaseRunAsync(mine.Id, "node-a", now, now.AddSeconds(10), None);
        await Store.TryLeaseRunAsync(theirs.Id, "node-b", now, now.AddSeconds(10), None);

        var renewed = await Store.RenewLeasesAsync("node-a", now.AddSeconds(60), None);
        Time.Advance(TimeSpan.FromSeconds(20));
        var later = Time.GetUtcNow();

        Assert.Equal([mine.Id], renewed);
        Assert.Equal([theirs.Id], await Store.FindRunsToResumeAsync(later, DateTimeOffset.MaxValue, 10, None));
        Assert.Null(await Store.TryLeaseRunAsync(mine.Id, "node-b", later, later.AddSeconds(10), None));
        await Store.ReleaseLeaseAsync(mine.Id, "node-a", None);
        Assert.NotNull(await Store.TryLeaseRunAsync(mine.Id, "node-b", later, later.AddSeconds(10), None));
    }

    [StoreFact]
    public async Task SaveMessageWithStep_SavesBoth_AndSavesThemAgainAsUpdates()
    {
        var run = await QueuedRunAsync(RunStatus.InProgress);
        var message = Objects.Message(run.ThreadId, run.Id, MessageStatus.InProgress);
        var step = Objects.Step(run);
        await Store.SaveMessageWithStepAsync(message, step, None);
        Assert.Equal(MessageStatus.InProgress, (await Store.GetMessageAsync(run.ThreadId, message.Id, None))?.Status);
        Assert.Equal(StepStatus.InProgress, (await Store.GetStepAsync(run.ThreadId, run.Id, step.Id, None))?.Status);

        await Store.SaveMessageWithStepAsync(message with { Status = MessageStatus.Completed }, step with { Status = StepStatus.Completed }, None);

        Assert.Equal(MessageStatus.Completed, (await Store.GetMessageAsync(run.ThreadId, message.Id, None))?.Status);
        Assert.Equal(StepStatus.Completed, Assert.Single((await Store.ListStepsAsync(run.ThreadId, run.Id, ListQuery.Default, None)).Data).Status);
    }

    [StoreFact]
    public async Task AStatusWithNothingLeftForAWorker_GivesUpTheLeaseInTheSameWrite()
    {
        var run = await QueuedRunAsync();
        var now = Time.GetUtcNow();
        await Store.TryLeaseRunAsync(run.Id, "node-a", now, now.AddSeconds(30), None);
        var started = run with { Status = RunStatus.InProgress };
        Assert.True(await Store.TryUpdateRunAsync(started, RunStatus.Queued, None));
        var cancelling = started with { Status = RunStatus.Cancelling };
        Assert.True(await Store.TryUpdateRunAsync(cancelling, RunStatus.InProgress, None));
        Assert.Equal([run.Id], await Store.RenewLeasesAsync("node-a", now.AddSeconds(30), None));

        // Paused for tool outputs: the lease went with the write, so the run, queued again, is anyone's at once.
        Assert.True(await Store.TryUpdateRunAsync(started, RunStatus.Cancelling, None));
        Assert.True(await Store.TryUpdateRunAsync(started with { Status = RunStatus.RequiresAction }, RunStatus.InProgress, None));
        Assert.Empty(await Store.RenewLeasesAsync("node-a", now.AddSeconds(30), None));
        Assert.True(await Store.TryUpdateRunAsync(run, RunStatus.RequiresAction, None));
        Assert.NotNull(await Store.TryLeaseRunAsync(run.Id, "node-b", now, now.AddSeconds(30), None));

        Assert.True(await Store.TryUpdateRunAsync(started, RunStatus.Queued, None));
        Assert.True(await Store.TryUpdateRunAsync(started with { Status = RunStatus.Completed }, RunStatus.InProgress, None));
        Assert.Empty(await Store.RenewLeasesAsync("node-b", now.AddSeconds(30), None));
    }

    [StoreFact]
    public async Task ALapsedLease_TakenByAnotherOwner_IsNotRenewedOrReleasedByTheFormerOne()
    {
        var run = await QueuedRunAsync();
        var now = Time.GetUtcNow();
        await Store.TryLeaseRunAsync(run.Id, "node-a", now, now.AddSeconds(10), None);
        Time.Advance(TimeSpan.FromSeconds(20));
        var later = Time.GetUtcNow();
        Assert.NotNull(await Store.TryLeaseRunAsync(run.Id, "node-b", later, later.AddSeconds(10), None));

        // node-a wakes up: its renewal no longer names the run (so it stops working on it), and its release frees nothing.
        var renewed = await Store.RenewLeasesAsync("node-a", later.AddSeconds(10), None);
        await Store.ReleaseLeaseAsync(run.Id, "node-a", None);

        Assert.Empty(renewed);
        Assert.Null(await Store.TryLeaseRunAsync(run.Id, "node-c", later, later.AddSeconds(10), None));
        Assert.Equal([run.Id], await Store.RenewLeasesAsync("node-b", later.AddSeconds(10), None));
    }

    [StoreFact]
    public async Task Lease_RacingOwnersExactlyOneGetsIt()
    {
        var runs = new List<ThreadRun>();
        for (var i = 0; i < 10; i++)
        {
            runs.Add(await QueuedRunAsync());
        }

        var now = Time.GetUtcNow();
        foreach (var run in runs)
        {
            var owners = await Task.WhenAll(Enumerable.Range(0, 6).Select(n => Task.Run(async () =>
                await Store.TryLeaseRunAsync(run.Id, $"node-{n}", now, now.AddSeconds(30), None) is null ? null : $"node-{n}")));
            Assert.Single(owners, o => o is not null);
        }
    }

    [StoreFact]
    public async Task FindRunsToResume_LeavesANewQueuedRunToTheNodeThatAcceptedIt()
    {
        var now = Time.GetUtcNow();
        var older = await QueuedRunAsync(createdAt: now.ToUnixTimeSeconds() - 10);
        var olderProgressing = await QueuedRunAsync(RunStatus.InProgress, createdAt: now.ToUnixTimeSeconds() - 10);
        var newer = await QueuedRunAsync(createdAt: now.ToUnixTimeSeconds());
        var newerProgressing = await QueuedRunAsync(RunStatus.InProgress, createdAt: now.ToUnixTimeSeconds());

        var found = await Store.FindRunsToResumeAsync(now, now.AddSeconds(-5), 10, None);

        Assert.Equal([older.Id, olderProgressing.Id, newerProgressing.Id], found);
        Assert.DoesNotContain(newer.Id, found);
    }

    [StoreFact]
    public async Task FindRunsToResume_TakesResumableRunsOldestFirstUpToMax()
    {
        var queued = await QueuedRunAsync();
        var progressing = await QueuedRunAsync(RunStatus.InProgress);
        var cancelling = await QueuedRunAsync(RunStatus.Cancelling);
        await QueuedRunAsync(RunStatus.RequiresAction);
        await QueuedRunAsync(RunStatus.Completed);
        var now = Time.GetUtcNow();

        Assert.Equal([queued.Id, progressing.Id, cancelling.Id], await Store.FindRunsToResumeAsync(now, DateTimeOffset.MaxValue, 10, None));
        Assert.Equal([queued.Id, progressing.Id], await Store.FindRunsToResumeAsync(now, DateTimeOffset.MaxValue, 2, None));
        Assert.Null(await Store.TryLeaseRunAsync((await QueuedRunAsync(RunStatus.Failed)).Id, "node-a", now, now.AddSeconds(5), None));
    }

    [StoreFact]
    public async Task FindExpiredRuns_ReturnsRequiresActionPastItsExpiry()
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        var expired = await QueuedRunAsync(RunStatus.RequiresAction, now - 1);
        await QueuedRunAsync(RunStatus.RequiresAction, now + 60);
        await QueuedRunAsync(RunStatus.Queued, now - 1);

        Assert.Equal([expired.Id], (await Store.FindExpiredRunsAsync(now, None)).Select(r => r.Id));
    }

    [StoreFact]
    public async Task Steps_UpsertAndPagePerRun()
    {
        var run = await QueuedRunAsync(RunStatus.InProgress);
        var other = await QueuedRunAsync(RunStatus.InProgress);
        var steps = new[] { Objects.Step(run), Objects.Step(run), Objects.Step(run) };
        foreach (var step in steps)
        {
            await Store.SaveStepAsync(step, None);
        }

        await Store.SaveStepAsync(Objects.Step(other), None);
        await Store.SaveStepAsync(steps[0] with { Status = StepStatus.Completed }, None);

        var page = await Store.ListStepsAsync(run.ThreadId, run.Id, new ListQuery { Limit = 2 }, None);
        var rest = await Store.ListStepsAsync(run.ThreadId, run.Id, new ListQuery { Limit = 2, After = page.Data[^1].Id }, None);

        Assert.Equal((string.Join(",", steps[2].Id, steps[1].Id), true), (string.Join(",", page.Data.Select(s => s.Id)), page.HasMore));
        Assert.Equal((steps[0].Id, false), (string.Join(",", rest.Data.Select(s => s.Id)), rest.HasMore));
        Assert.Equal(StepStatus.Completed, (await Store.GetStepAsync(run.ThreadId, run.Id, steps[0].Id, None))?.Status);
        Assert.Null(await Store.GetStepAsync(run.ThreadId, other.Id, steps[0].Id, None));
    }

    [StoreFact]
    public async Task DiscardUnfinishedWork_RemovesOnlyTheRunsInProgressMessagesAndSteps()
    {
        var run = await QueuedRunAsync(RunStatus.InProgress);
        var done = Objects.Step(run, StepStatus.Completed);
        var open = Objects.Step(run);
        await Store.SaveStepAsync(done, None);
        await Store.SaveStepAsync(open, None);
        var partial = Objects.Message(run.ThreadId, run.Id, MessageStatus.InProgress);
        var finished = Objects.Message(run.ThreadId, run.Id);
        await Store.SaveMessageAsync(partial, None);
        await Store.SaveMessageAsync(finished, None);

        await Store.DiscardUnfinishedWorkAsync(run.Id, None);

        Assert.Equal([finished.Id], (await Store.GetThreadMessagesAsync(run.ThreadId, None)).Select(m => m.Id));
        Assert.Equal([done.Id], (await Store.ListStepsAsync(run.ThreadId, run.Id, ListQuery.Default, None)).Data.Select(s => s.Id));
    }

    [StoreFact]
    public async Task ListRuns_IsPerThreadNewestFirst()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        var runs = new List<ThreadRun>();
        for (var i = 0; i < 3; i++)
        {
            var run = Objects.Run(thread.Id, RunStatus.Completed);
            await Store.TryCreateRunAsync(run, null, [], None);
            runs.Add(run);
        }

        await QueuedRunAsync(RunStatus.Completed);

        var page = await Store.ListRunsAsync(thread.Id, ListQuery.Default, None);
        Assert.Equal(runs.Select(r => r.Id).Reverse(), page.Data.Select(r => r.Id));
    }

    private async Task<ThreadRun> QueuedRunAsync(string status = RunStatus.Queued, long? expiresAt = null, long createdAt = 1)
    {
        var thread = Objects.Thread();
        var run = Objects.Run(thread.Id, status, expiresAt) with { CreatedAt = createdAt };
        Assert.Null(await Store.TryCreateRunAsync(run, thread, [], None));
        return run;
    }
}
