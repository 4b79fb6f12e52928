using System.Collections.Concurrent;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Engine;

/// <summary>
/// Takes runs that have work to do from the store, leases them, and executes them. A sweep renews leases,
/// expires runs left in <c>requires_action</c>, and resumes runs whose worker died, so no run stays
/// <c>in_progress</c> forever. A run whose lease lapsed and was taken by another worker (another node, after a stall)
/// is stopped here at the next sweep and left to its new owner, which also ends its model call.
/// </summary>
public sealed partial class RunWorker(
    IAgentStore store,
    RunQueue queue,
    RunExecutor executor,
    RunTransitions transitions,
    RunCancellations cancellations,
    RunEngineOptions options,
    TimeProvider time,
    ILogger<RunWorker> logger) : BackgroundService
{
    private readonly string owner = IdGenerator.New("worker");
    private readonly ConcurrentDictionary<string, bool> executing = new();
    private readonly ConcurrentDictionary<string, bool> leased = new();
    private SemaphoreSlim? slots;
    private bool swept;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        slots = new SemaphoreSlim(options.MaxConcurrentRuns);
        var sweeping = SweepLoopAsync(stoppingToken);
        try
        {
            await foreach (var runId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (options.MaxConcurrentRuns == 0)
                {
                    continue; // This node executes no runs: other nodes' sweeps take the runs it accepts.
                }

                if (!executing.TryAdd(runId, false))
                {
                    executing[runId] = true; // picked up again when the current pass ends
                    continue;
                }

                await slots.WaitAsync(stoppingToken);
                _ = Task.Run(() => ProcessAsync(runId, stoppingToken), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: leased runs resume on the next start.
        }

        await sweeping;
    }

    private async Task ProcessAsync(string runId, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessLeasedAsync(runId, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogWorkerFault(logger, runId, exception);
        }
        catch (OperationCanceledException)
        {
            // Shutting down mid-run: the lease lapses and the run resumes after restart.
        }
        finally
        {
            slots!.Release();
            if (executing.TryRemove(runId, out var again) && again)
            {
                queue.Enqueue(runId);
            }
        }
    }

    private async Task ProcessLeasedAsync(string runId, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if (await store.TryLeaseAndStartRunAsync(runId, owner, now, now + options.LeaseDuration, now.ToUnixTimeSeconds(), stoppingToken) is not { } lease)
        {
            return;
        }

        // Everything the run does — its messages, steps, files, model calls — belongs to the run's project, and its model
        // calls count against the rate limits of the key that created it.
        using var project = ProjectScope.Enter(lease.Project, lease.KeyId);
        var run = lease.Run;

        using var cancellation = cancellations.Register(run.Id, stoppingToken);
        leased[run.Id] = false;
        var released = false;
        try
        {
            released = await DriveAsync(run, lease.Started, lease.Steps, cancellation.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception) when (leased.TryGetValue(run.Id, out var lost) && lost)
        {
            // Another worker holds the run now; what is left is its to do.
            LogLeaseLost(logger, run.Id);
        }
        catch (Exception exception) when (exception is OperationCanceledException or RunInterruptedException)
        {
            await SettleInterruptedAsync(run);
        }
        catch (Exception exception)
        {
            var error = RunFailures.ErrorOf(exception);
            if (RunFailures.IsInternal(exception))
            {
                LogRunFault(logger, run.Id, exception);
            }

            await FailAsync(run, error);
        }
        finally
        {
            leased.TryRemove(run.Id, out _);
            cancellations.Unregister(run.Id);
            if (!released)
            {
                await store.ReleaseLeaseAsync(run.Id, owner, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Takes the run as far as it goes; true when a status written here ended or paused it, which gave up its lease.
    /// <paramref name="started"/>: the lease moved it from queued to in_progress, and read its <paramref name="steps"/> if not null.
    /// </summary>
    private async Task<bool> DriveAsync(ThreadRun run, bool started, IReadOnlyList<RunStep>? steps, CancellationToken cancellationToken)
    {
        if (started)
        {
            transitions.Started(run);
            return RunStatus.IsIdle((await executor.ExecuteAsync(run, steps, cancellationToken)).Status);
        }

        switch (run.Status)
        {
            case RunStatus.Cancelling:
                return await transitions.TryEndAsync(run, RunStatus.Cancelled, null, null, CancellationToken.None) is not null;
            case RunStatus.Queued:
                var moved = run with { Status = RunStatus.InProgress, StartedAt = time.UnixNow() };
                if (!await transitions.TryMoveAsync(run, moved, cancellationToken))
                {
                    return false;
                }

                run = moved;
                break;
            case RunStatus.InProgress when run.Profile is { ResumesAfterCrash: false }:
                // A foreground call's caller went with the process that was serving it: end it rather than finish it for no one.
                LogNotResumed(logger, run.Id);
                await store.DiscardUnfinishedWorkAsync(run.Id, cancellationToken);
                return await transitions.TryEndAsync(run, RunStatus.Failed, new RunError(RunErrorCodes.ServerError,
                    "The server stopped while this response was in progress; it was not run in the background, so it was not resumed."), null, CancellationToken.None) is not null;
            case RunStatus.InProgress:
                LogResuming(logger, run.Id);
                await store.DiscardUnfinishedWorkAsync(run.Id, cancellationToken);
                break;
            default:
                return false;
        }

        return RunStatus.IsIdle((await executor.ExecuteAsync(run, cancellationToken)).Status);
    }

    private async Task SettleInterruptedAsync(ThreadRun leased)
    {
        var current = await store.GetRunAsync(leased.ThreadId, leased.Id, CancellationToken.None);
        if (current is { Status: RunStatus.Cancelling })
        {
            await transitions.TryEndAsync(current, RunStatus.Cancelled, null, null, CancellationToken.None);
        }
    }

    private async Task FailAsync(ThreadRun leased, RunError error)
    {
        var current = await store.GetRunAsync(leased.ThreadId, leased.Id, CancellationToken.None);
        if (current is null || RunStatus.IsTerminal(current.Status))
        {
            return;
        }

        var status = current.Status == RunStatus.Cancelling ? RunStatus.Cancelled : RunStatus.Failed;
        await transitions.TryEndAsync(current, status, status == RunStatus.Failed ? error : null, null, CancellationToken.None);
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFault(logger, exception);
            }
        }
        while (await WaitForTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One pass: keep our leases, expire overdue runs, and pick up runs nobody is working on.</summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Only runs leased before the renewal started are checked: their leases were committed, so a missing one was lost —
        // or went with the run's own final or pausing status write, after which its token guards nothing.
        var before = leased.Keys.ToList();
        var held = await store.RenewLeasesAsync(owner, now + options.LeaseDuration, cancellationToken);
        foreach (var runId in before.Except(held))
        {
            if (leased.TryUpdate(runId, true, false))
            {
                cancellations.Signal(runId);
            }
        }

        foreach (var overdue in await store.FindExpiredRunsAsync(now.ToUnixTimeSeconds(), cancellationToken))
        {
            await transitions.TryEndAsync(overdue, RunStatus.Expired, null, null, cancellationToken);
        }

        if (options.MaxConcurrentRuns == 0)
        {
            return;
        }

        // A queued run is the accepting node's to start (it may be streaming it) for a lease's length; after that, or at
        // this node's first sweep (runs queued before a restart), any node takes it.
        var queuedBefore = swept ? now - options.LeaseDuration : DateTimeOffset.MaxValue;
        swept = true;
        foreach (var runId in await store.FindRunsToResumeAsync(now, queuedBefore, 256, cancellationToken))
        {
            if (!executing.ContainsKey(runId))
            {
                queue.Enqueue(runId);
            }
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Resuming run {RunId} after an interruption")]
    private static partial void LogResuming(ILogger logger, string runId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Run {RunId} was in progress in the foreground when the server stopped; it ends failed")]
    private static partial void LogNotResumed(ILogger logger, string runId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Run {RunId} failed inside AgentHost")]
    private static partial void LogRunFault(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Worker fault while handling run {RunId}")]
    private static partial void LogWorkerFault(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Run {RunId} was stopped here: its lease lapsed and another worker took it over")]
    private static partial void LogLeaseLost(ILogger logger, string runId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Run sweep failed; retrying at the next tick")]
    private static partial void LogSweepFault(ILogger logger, Exception exception);
}
