using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Engine;

/// <summary>
/// Moves runs between statuses: saves with an expected-status check, tidies the run's unfinished steps and
/// messages when it ends, and publishes the event. Every writer (executor, worker, API) goes through here.
/// </summary>
public sealed class RunTransitions(IAgentStore store, IRunEventSink events, TimeProvider time, IRunCostSource? costs = null, RunHistories? histories = null)
{
    /// <summary>Saves <paramref name="next"/> if the stored run is still <paramref name="current"/>'s status, then publishes.</summary>
    public async Task<bool> TryMoveAsync(ThreadRun current, ThreadRun next, CancellationToken cancellationToken)
    {
        if (current.Status != RunStatus.Queued)
        {
            // A queued run has made no model call since its cost was last written.
            next = await WithCostAsync(next, cancellationToken);
        }

        if (!await store.TryUpdateRunAsync(next, current.Status, cancellationToken))
        {
            return false;
        }

        events.Publish(new RunStatusChanged(next) { RunId = next.Id });
        return true;
    }

    /// <summary>Publishes that <paramref name="run"/> moved from queued to in_progress with its lease (<see cref="IAgentStore.TryLeaseAndStartRunAsync"/>).</summary>
    public void Started(ThreadRun run) => events.Publish(new RunStatusChanged(run) { RunId = run.Id });

    /// <summary>
    /// Ends the run in <paramref name="status"/> (a terminal one), closing what it left open. <paramref name="steps"/>,
    /// when the caller holds them, are all the run's steps as stored (or, for <paramref name="output"/>'s step, as about
    /// to be); else they are read. <paramref name="output"/>, the message the run's last turn completed, is saved in the
    /// same write as the run's end, even when another writer changed the run first, and published before it.
    /// </summary>
    public async Task<ThreadRun?> TryEndAsync(ThreadRun current, string status, RunError? error, RunIncompleteDetails? incomplete, CancellationToken cancellationToken,
        IReadOnlyList<RunStep>? steps = null, RunOutput? output = null)
    {
        var now = time.UnixNow();
        steps ??= await AllStepsAsync(current, cancellationToken);
        var next = current with
        {
            Status = status,
            RequiredAction = null,
            ExpiresAt = null,
            CompletedAt = status is RunStatus.Completed or RunStatus.Incomplete ? now : current.CompletedAt,
            FailedAt = status == RunStatus.Failed ? now : current.FailedAt,
            CancelledAt = status == RunStatus.Cancelled ? now : current.CancelledAt,
            LastError = error ?? current.LastError,
            IncompleteDetails = incomplete ?? current.IncompleteDetails,
            Usage = SumUsage(steps),
        };
        next = await WithCostAsync(next, cancellationToken);

        if (output is not null)
        {
            var ended = await store.TryUpdateRunAfterMessageAsync(next, current.Status, output.Message, output.Step, cancellationToken);
            events.Publish(new MessageCompleted(output.Message) { RunId = next.Id });
            events.Publish(new StepCompleted(output.Step) { RunId = next.Id });
            if (!ended)
            {
                return null;
            }
        }
        else if (!await store.TryUpdateRunAsync(next, current.Status, cancellationToken))
        {
            return null;
        }

        await CloseOpenWorkAsync(next, steps, status, error, now, cancellationToken);

        // The front door keeps the run's output in its own items before anyone watching learns that it ended.
        if (histories?.For(next) is { } history)
        {
            await history.RunEndedAsync(next, CancellationToken.None);
        }

        events.Publish(new RunStatusChanged(next) { RunId = next.Id });
        return next;
    }

    private async Task<ThreadRun> WithCostAsync(ThreadRun run, CancellationToken cancellationToken) =>
        costs is null ? run : run with { Cost = await costs.CostOfRunAsync(run.Id, cancellationToken) ?? run.Cost };

    public async Task<IReadOnlyList<RunStep>> AllStepsAsync(ThreadRun run, CancellationToken cancellationToken) =>
        (await store.ListStepsAsync(run.ThreadId, run.Id, new ListQuery { Limit = int.MaxValue, Ascending = true }, cancellationToken)).Data;

    public static Usage? SumUsage(IReadOnlyList<RunStep> steps)
    {
        Usage? total = null;
        foreach (var step in steps)
        {
            if (step.Usage is { } usage)
            {
                total = total is null ? usage : total.Add(usage);
            }
        }

        return total;
    }

    private async Task CloseOpenWorkAsync(ThreadRun run, IReadOnlyList<RunStep> steps, string status, RunError? error, long now, CancellationToken cancellationToken)
    {
        var stepStatus = status switch
        {
            RunStatus.Cancelled => StepStatus.Cancelled,
            RunStatus.Expired => StepStatus.Expired,
            _ => StepStatus.Failed,
        };
        var messageReason = status switch
        {
            RunStatus.Cancelled => "run_cancelled",
            RunStatus.Expired => "run_expired",
            _ => "run_failed",
        };

        foreach (var step in steps.Where(s => s.Status == StepStatus.InProgress))
        {
            var closed = step with
            {
                Status = stepStatus,
                CancelledAt = stepStatus == StepStatus.Cancelled ? now : null,
                ExpiredAt = stepStatus == StepStatus.Expired ? now : null,
                FailedAt = stepStatus == StepStatus.Failed ? now : null,
                LastError = stepStatus == StepStatus.Failed ? error : null,
            };
            await store.SaveStepAsync(closed, cancellationToken);
            events.Publish(new StepCompleted(closed) { RunId = run.Id });

            if (step.StepDetails.MessageCreation is { } creation &&
                await store.GetMessageAsync(run.ThreadId, creation.MessageId, cancellationToken) is { Status: MessageStatus.InProgress } message)
            {
                var incomplete = message with { Status = MessageStatus.Incomplete, IncompleteAt = now, IncompleteDetails = new IncompleteDetails(messageReason) };
                await store.SaveMessageAsync(incomplete, cancellationToken);
                events.Publish(new MessageCompleted(incomplete) { RunId = run.Id });
            }
        }
    }
}
