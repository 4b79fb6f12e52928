using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;

namespace AgentHost.Agents;

/// <summary>
/// One turn of a session: executes the run in this process (no worker needed), relays its events, runs the agent's
/// functions through permissions and hooks when the run pauses for them, and enforces the agent's limits.
/// </summary>
internal sealed class AgentTurn(AgentEngine engine, AgentSession session, RunSubscription subscription)
{
    private static readonly TimeSpan LeaseLength = TimeSpan.FromHours(1);
    private readonly string owner = IdGenerator.New("agent");
    private readonly CancellationTokenSource limit = new();
    private string? stopReason;
    private int modelCalls;

    private Agent Agent => session.Agent;

    /// <summary>Drives <paramref name="run"/> (queued, or paused for decisions) until it ends or pauses, yielding its events.</summary>
    /// <param name="run">The run of this turn.</param>
    /// <param name="decided">Decisions the application gave for calls of a paused run.</param>
    /// <param name="done">Outputs of calls of a paused run that were already run before it paused.</param>
    /// <param name="cancellationToken">Stops the turn; the run ends cancelled.</param>
    public async IAsyncEnumerable<AgentEvent> DriveAsync(ThreadRun run, IReadOnlyDictionary<string, ToolCallDecision> decided, IReadOnlyDictionary<string, ToolResult> done,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var ownedLimit = limit;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        using var timer = Agent.Limits.Timeout is { } timeout ? engine.Time.CreateTimer(_ => Stop("max_duration"), null, timeout, Timeout.InfiniteTimeSpan) : null;
        Task<ThreadRun>? execution = null;
        try
        {
            while (true)
            {
                if (run.Status == RunStatus.Queued)
                {
                    execution = ExecuteOnceAsync(run, linked.Token);
                    Task<bool>? waiting = null;
                    while (true)
                    {
                        while (subscription.TryRead(out var agentEvent))
                        {
                            if (agentEvent is ModelCallStarted && Agent.Limits.MaxTurns is int maxTurns && ++modelCalls > maxTurns)
                            {
                                Stop("max_turns");
                            }

                            yield return agentEvent;
                        }

                        if (execution.IsCompleted)
                        {
                            // Everything the execution published is in the channel by now (publishing writes synchronously).
                            if (!subscription.TryRead(out var last))
                            {
                                break;
                            }

                            yield return last;
                            continue;
                        }

                        waiting ??= subscription.WaitToReadAsync(CancellationToken.None).AsTask();
                        if (await Task.WhenAny(waiting, execution) == waiting)
                        {
                            waiting = null;
                        }
                    }

                    run = await execution;
                    execution = null;
                }

                if (run.Status != RunStatus.RequiresAction || run.RequiredAction is null)
                {
                    await OnStopAsync(run, cancellationToken);
                    yield break;
                }

                var outcome = await DecideAsync(run, decided, done, linked.Token);
                foreach (var agentEvent in outcome.Events)
                {
                    yield return agentEvent;
                }

                if (outcome.Next is null)
                {
                    await OnStopAsync(run, cancellationToken);
                    yield break;
                }

                run = outcome.Next;
                decided = new Dictionary<string, ToolCallDecision>();
                done = new Dictionary<string, ToolResult>();
            }
        }
        finally
        {
            if (execution is { IsCompleted: false })
            {
                // The caller stopped reading mid-run: stop the execution too; it ends the run cancelled.
                await limit.CancelAsync();
                await execution.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Stop(string reason)
    {
        Interlocked.CompareExchange(ref stopReason, reason, null);
        try
        {
            limit.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The turn ended meanwhile; nothing to stop.
        }
    }

    /// <summary>Leases the queued run, starts it and executes it until it ends or pauses; failures and stops end the run.</summary>
    private async Task<ThreadRun> ExecuteOnceAsync(ThreadRun queued, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var now = engine.Time.GetUtcNow();
        var leased = await engine.Store.TryLeaseRunAsync(queued.Id, owner, now, now + LeaseLength, CancellationToken.None)
            ?? throw new InvalidOperationException($"Run {queued.Id} is already being executed elsewhere.");
        try
        {
            if (leased.Status == RunStatus.Cancelling)
            {
                return await engine.Transitions.TryEndAsync(leased, RunStatus.Cancelled, null, null, CancellationToken.None) ?? await CurrentAsync(leased);
            }

            var started = leased with { Status = RunStatus.InProgress, StartedAt = engine.Time.GetUtcNow().ToUnixTimeSeconds() };
            if (!await engine.Transitions.TryMoveAsync(leased, started, cancellationToken))
            {
                return await CurrentAsync(leased);
            }

            return await engine.Executor.ExecuteAsync(started, cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or RunInterruptedException)
        {
            return await EndStoppedAsync(await CurrentAsync(leased));
        }
        catch (Exception exception)
        {
            var current = await CurrentAsync(leased);
            if (RunStatus.IsTerminal(current.Status))
            {
                return current;
            }

            var status = current.Status == RunStatus.Cancelling ? RunStatus.Cancelled : RunStatus.Failed;
            return await engine.Transitions.TryEndAsync(current, status, status == RunStatus.Failed ? RunFailures.ErrorOf(exception) : null, null, CancellationToken.None)
                ?? await CurrentAsync(leased);
        }
        finally
        {
            await engine.Store.ReleaseLeaseAsync(queued.Id, CancellationToken.None);
        }
    }

    /// <summary>A run stopped by a limit ends incomplete with the limit's name; stopped by the caller, cancelled.</summary>
    private async Task<ThreadRun> EndStoppedAsync(ThreadRun current)
    {
        if (RunStatus.IsTerminal(current.Status))
        {
            return current;
        }

        var ended = stopReason is { } reason && current.Status != RunStatus.Cancelling
            ? await engine.Transitions.TryEndAsync(current, RunStatus.Incomplete, null, new RunIncompleteDetails(reason), CancellationToken.None)
            : await engine.Transitions.TryEndAsync(current, RunStatus.Cancelled, null, null, CancellationToken.None);
        return ended ?? await CurrentAsync(current);
    }

    private async Task<ThreadRun> CurrentAsync(ThreadRun run) =>
        await engine.Store.GetRunAsync(run.ThreadId, run.Id, CancellationToken.None) ?? run;

    private sealed record Outcome(IReadOnlyList<AgentEvent> Events, ThreadRun? Next);

    /// <summary>
    /// Decides each pending function call (permissions, then hooks, then the application if asked), runs the allowed ones,
    /// and submits every output; or, when some call waits for an answer nobody can give now, pauses the session.
    /// </summary>
    private async Task<Outcome> DecideAsync(ThreadRun run, IReadOnlyDictionary<string, ToolCallDecision> decided, IReadOnlyDictionary<string, ToolResult> done,
        CancellationToken cancellationToken)
    {
        var calls = run.RequiredAction!.SubmitToolOutputs.ToolCalls;
        var results = new List<(ToolCallRequest Call, string Output, bool IsError, TimeSpan Duration)>();
        var asked = new List<ToolCallRequest>();
        try
        {
            foreach (var pending in calls)
            {
                var call = new ToolCallRequest(session.Id, run.Id, pending.Id, pending.Function.Name, pending.Function.Arguments);
                if (done.TryGetValue(call.CallId, out var earlier))
                {
                    results.Add((call, earlier.Output, earlier.IsError, earlier.Duration));
                    continue;
                }

                var decision = decided.TryGetValue(call.CallId, out var given) ? given : await DecideAsync(call, cancellationToken);
                if (decision.Kind == ToolCallDecisionKind.Ask)
                {
                    asked.Add(call);
                    continue;
                }

                var started = engine.Time.GetTimestamp();
                var (output, isError) = await RunAsync(call, decision, cancellationToken);
                results.Add((call, output, isError, engine.Time.GetElapsedTime(started)));
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            var ended = await EndStoppedAsync(await CurrentAsync(run));
            return new Outcome([new RunStatusChanged(ended) { RunId = run.Id }], null);
        }

        if (asked.Count > 0)
        {
            // Calls already run keep their outputs through the pause, so only the asked calls wait for an answer.
            session.Pause(run, asked, results.ToDictionary(r => r.Call.CallId, r => new ToolResult(r.Output, r.IsError, r.Duration)));
            return new Outcome([new ApprovalRequested([.. asked.Select(c => new PendingDecision(c.CallId, PendingDecision.Permission, ToolTypes.Function, c.Name, c.Arguments))]) { RunId = run.Id }], null);
        }

        var (queued, step) = await engine.Runs.SubmitToolOutputsAsync(run.ThreadId, run.Id, [.. results.Select(r => new ToolOutput(r.Call.CallId, r.Output))], CancellationToken.None);
        var events = new List<AgentEvent>();
        var recorded = step.StepDetails.ToolCalls ?? [];
        foreach (var (call, output, isError, duration) in results)
        {
            events.Add(new ToolCallCompleted
            {
                RunId = run.Id, StepId = step.Id, Index = Math.Max(0, recorded.ToList().FindIndex(c => c.Id == call.CallId)), CallId = call.CallId,
                ToolType = ToolTypes.Function, Name = call.Name, Arguments = call.Arguments, Output = output, IsError = isError, Duration = duration,
            });
        }

        events.Add(new StepCompleted(step) { RunId = run.Id });
        events.Add(new RunStatusChanged(queued) { RunId = run.Id });
        return new Outcome(events, queued);
    }

    private async Task<ToolCallDecision> DecideAsync(ToolCallRequest call, CancellationToken cancellationToken)
    {
        var decision = Agent.Permissions.Check(call);
        if (decision.Kind == ToolCallDecisionKind.Allow)
        {
            foreach (var hook in Agent.Hooks.BeforeToolCall)
            {
                var said = await hook(call, cancellationToken);
                if (said.Kind == ToolCallDecisionKind.Rewrite)
                {
                    call = call with { Arguments = said.Arguments! };
                    decision = said;
                    continue;
                }

                if (said.Kind != ToolCallDecisionKind.Allow)
                {
                    decision = said;
                    break;
                }
            }
        }

        if (decision.Kind == ToolCallDecisionKind.Ask && Agent.Permissions.Ask is { } ask)
        {
            decision = await ask(call, cancellationToken);
        }

        return decision;
    }

    private async Task<(string Output, bool IsError)> RunAsync(ToolCallRequest call, ToolCallDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Kind == ToolCallDecisionKind.Deny)
        {
            return ("Denied: " + decision.Reason, true);
        }

        if (decision.Kind == ToolCallDecisionKind.Rewrite)
        {
            call = call with { Arguments = decision.Arguments! };
        }

        var function = Agent.Functions.FirstOrDefault(f => f.Name == call.Name);
        if (function is null)
        {
            return ($"Error: agent '{Agent.Name}' has no tool named '{call.Name}'.", true);
        }

        var (output, isError) = await AgentTools.InvokeAsync(function, call.Arguments, null, cancellationToken);
        foreach (var hook in Agent.Hooks.AfterToolCall)
        {
            output = await hook(call, output, cancellationToken) ?? output;
        }

        return (output, isError);
    }

    private async Task OnStopAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var final = await CurrentAsync(run);
        foreach (var hook in Agent.Hooks.OnStop)
        {
            await hook(final, cancellationToken);
        }

        Debug.Assert(final.Status is not (RunStatus.Queued or RunStatus.InProgress), "A turn stops only when its run ended or paused.");
    }
}
