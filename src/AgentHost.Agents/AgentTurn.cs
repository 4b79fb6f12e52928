using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Runtime.CompilerServices;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Tools;

namespace AgentHost.Agents;

/// <summary>
/// One turn of a session: executes the run in this process (no worker needed), relays its events, runs the agent's
/// functions through permissions and hooks when the run pauses for them, and enforces the agent's limits.
/// </summary>
internal sealed class AgentTurn(AgentEngine engine, AgentSession session, RunSubscription subscription)
{
    private const int DefaultMaxSubAgentDepth = 4;
    private static readonly TimeSpan LeaseLength = TimeSpan.FromHours(1);
    private readonly string owner = IdGenerator.New("agent");
    private readonly CancellationTokenSource limit = new();
    private string? stopReason;
    private int modelCalls;

    private readonly ConcurrentQueue<AgentEvent> childEvents = new();

    private Agent Agent => session.Agent;

    /// <summary>The session this turn belongs to.</summary>
    public AgentSession Session => session;

    /// <summary>The run this turn drives, once it started.</summary>
    public string? RunId { get; private set; }

    /// <summary>Drives <paramref name="run"/> (queued, or paused for decisions) until it ends or pauses, yielding its events.</summary>
    /// <param name="run">The run of this turn.</param>
    /// <param name="decided">Decisions the application gave for calls of a paused run.</param>
    /// <param name="done">Outputs of calls of a paused run that were already run before it paused.</param>
    /// <param name="cancellationToken">Stops the turn; the run ends cancelled.</param>
    public async IAsyncEnumerable<AgentEvent> DriveAsync(ThreadRun run, IReadOnlyDictionary<string, ToolCallDecision> decided, IReadOnlyDictionary<string, ToolResult> done,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var ownedLimit = limit;
        RunId = run.Id;
        using var gated = engine.Gates.Attach(run.Id, new AgentToolGate(session));
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

                            if (agentEvent is ModelCallEnded { CostUsd: not null })
                            {
                                CheckCostLimits();
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
                    engine.Costs.Forget(run.Id);
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
                    if (!session.IsPaused)
                    {
                        engine.Costs.Forget(run.Id);
                    }

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

    /// <summary>Ends this turn, or the parent turn it runs a sub-agent call of, once its cost reaches its agent's limit.</summary>
    private void CheckCostLimits()
    {
        for (var turn = this; turn is not null; turn = turn.Session.ParentTurn)
        {
            if (turn.Agent.Limits.MaxCostUsd is decimal max && turn.RunId is { } runId && engine.Costs.TotalOf(runId) >= max)
            {
                turn.Stop("max_cost");
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
        var leased = (await engine.Store.TryLeaseRunAsync(queued.Id, owner, now, now + LeaseLength, CancellationToken.None))?.Run
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
            await engine.Store.ReleaseLeaseAsync(queued.Id, owner, CancellationToken.None);
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

    private sealed record Result(ToolCallRequest Call, string Output, bool IsError, TimeSpan Duration);

    /// <summary>
    /// Decides each pending call (permissions, then hooks, then the application if asked), runs the allowed ones
    /// (sub-agent calls in parallel), answers the approvals of built-in calls it was given decisions for, and submits
    /// every output; or, when some call waits for an answer nobody can give now, pauses the session.
    /// </summary>
    private async Task<Outcome> DecideAsync(ThreadRun run, IReadOnlyDictionary<string, ToolCallDecision> decided, IReadOnlyDictionary<string, ToolResult> done,
        CancellationToken cancellationToken)
    {
        var calls = run.RequiredAction!.SubmitToolOutputs.ToolCalls;
        var approvals = await ApprovalRecordsAsync(run, cancellationToken);
        var results = new Result?[calls.Count];
        var answers = new List<ToolOutput>();
        var asked = new List<(ToolCallRequest Call, string Kind)>();
        var running = new List<(int Index, ToolCallRequest Call, ToolCallDecision Decision)>();
        try
        {
            for (var index = 0; index < calls.Count; index++)
            {
                var pending = calls[index];
                if (approvals.TryGetValue(pending.Id, out var record))
                {
                    // A call AgentHost runs itself waits for a decision (a permission ask, or an MCP server's approval).
                    var (name, arguments) = EngineToolRecords.IsAwaitingDecision(record) ? EngineToolRecords.CallOf(record) : (pending.Function.Name, pending.Function.Arguments);
                    var request = Request(run, pending.Id, name, arguments) with { ToolType = record.Type };
                    var kind = EngineToolRecords.IsAwaitingDecision(record) ? PendingDecision.Permission : PendingDecision.McpApproval;
                    if (decided.TryGetValue(pending.Id, out var answer) && answer.Kind != ToolCallDecisionKind.Ask)
                    {
                        answers.Add(new ToolOutput(pending.Id, answer.Kind switch
                        {
                            ToolCallDecisionKind.Allow => "approve",
                            ToolCallDecisionKind.Deny => "deny: " + answer.Reason,
                            _ => throw new ArgumentException($"The call '{pending.Id}' to the built-in tool '{name}' can be allowed or denied, not rewritten.", nameof(decided)),
                        }));
                    }
                    else
                    {
                        asked.Add((request, kind));
                    }

                    continue;
                }

                var call = Request(run, pending.Id, pending.Function.Name, pending.Function.Arguments);
                if (done.TryGetValue(call.CallId, out var earlier))
                {
                    results[index] = new Result(call, earlier.Output, earlier.IsError, earlier.Duration);
                    continue;
                }

                var decision = decided.TryGetValue(call.CallId, out var given) ? given : await session.Policy.DecideAsync(call, cancellationToken);
                if (decision.Kind == ToolCallDecisionKind.Ask && session.Depth > 0)
                {
                    decision = ToolCallDecision.Deny(AgentToolGate.SubAgentAskDenial(Agent.Name, call.Name));
                }

                if (decision.Kind == ToolCallDecisionKind.Ask)
                {
                    asked.Add((call, PendingDecision.Permission));
                    continue;
                }

                running.Add((index, call, decision));
            }

            // Sub-agent calls start first and run side by side; C# functions run one after another meanwhile.
            var tasks = new Task<Result>?[calls.Count];
            foreach (var (index, call, decision) in running.Where(r => AgentTools.SubAgentNamed(Agent, r.Call.Name) is not null))
            {
                tasks[index] = TimedAsync(call, decision, cancellationToken);
            }

            foreach (var (index, call, decision) in running.Where(r => tasks[r.Index] is null))
            {
                tasks[index] = Task.FromResult(await TimedAsync(call, decision, cancellationToken));
            }

            foreach (var (index, _, _) in running)
            {
                results[index] = await tasks[index]!;
            }

            // A limit (this turn's, or a parent's) may have stopped the turn while its calls ran.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var ended = await EndStoppedAsync(await CurrentAsync(run));
            return new Outcome([.. DrainChildEvents(), new RunStatusChanged(ended) { RunId = run.Id }], null);
        }

        var ran = results.OfType<Result>().ToList();
        if (asked.Count > 0)
        {
            // Calls already run keep their outputs through the pause, so only the asked calls wait for an answer.
            session.Pause(run, [.. asked.Select(a => a.Call)], ran.ToDictionary(r => r.Call.CallId, r => new ToolResult(r.Output, r.IsError, r.Duration)));
            return new Outcome(
                [.. DrainChildEvents(), new ApprovalRequested([.. asked.Select(a => new PendingDecision(a.Call.CallId, a.Kind, a.Call.ToolType, a.Call.Name, a.Call.Arguments))]) { RunId = run.Id }],
                null);
        }

        var (queued, step) = await engine.Runs.SubmitToolOutputsAsync(run.ThreadId, run.Id, [.. ran.Select(r => new ToolOutput(r.Call.CallId, r.Output)), .. answers], CancellationToken.None);
        var events = DrainChildEvents();
        var recorded = step.StepDetails.ToolCalls ?? [];
        foreach (var (call, output, isError, duration) in ran)
        {
            events.Add(new ToolCallCompleted
            {
                RunId = run.Id, StepId = step.Id, Index = Math.Max(0, recorded.ToList().FindIndex(c => c.Id == call.CallId)), CallId = call.CallId,
                ToolType = ToolTypes.Function, Name = call.Name, Arguments = call.Arguments, Output = output, IsError = isError, Duration = duration,
            });
        }

        if (step.Status == StepStatus.Completed)
        {
            events.Add(new StepCompleted(step) { RunId = run.Id });
        }

        events.Add(new RunStatusChanged(queued) { RunId = run.Id });
        return new Outcome(events, queued);
    }

    private ToolCallRequest Request(ThreadRun run, string callId, string name, string arguments) =>
        new(session.Id, run.Id, callId, name, arguments) { AgentName = Agent.Name, Depth = session.Depth };

    /// <summary>The records of the open tool step's calls that AgentHost runs itself (not functions), by call id.</summary>
    private async Task<Dictionary<string, StepToolCall>> ApprovalRecordsAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var steps = await engine.Transitions.AllStepsAsync(run, cancellationToken);
        var open = steps.LastOrDefault(s => s is { Type: StepTypes.ToolCalls, Status: StepStatus.InProgress });
        return (open?.StepDetails.ToolCalls ?? []).Where(c => c.Function is null).ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    private List<AgentEvent> DrainChildEvents()
    {
        var drained = new List<AgentEvent>();
        while (childEvents.TryDequeue(out var childEvent))
        {
            drained.Add(childEvent);
        }

        return drained;
    }

    private async Task<Result> TimedAsync(ToolCallRequest call, ToolCallDecision decision, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var started = engine.Time.GetTimestamp();
        var (output, isError) = await RunAsync(call, decision, cancellationToken);
        return new Result(call, output, isError, engine.Time.GetElapsedTime(started));
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

        string output;
        bool isError;
        if (Agent.Functions.FirstOrDefault(f => f.Name == call.Name) is { } function)
        {
            (output, isError) = await AgentTools.InvokeAsync(function, call.Arguments, null, cancellationToken);
        }
        else if (AgentTools.SubAgentNamed(Agent, call.Name) is { } sub)
        {
            (output, isError) = await RunSubAgentAsync(sub, call, cancellationToken);
        }
        else
        {
            return ($"Error: agent '{Agent.Name}' has no tool named '{call.Name}'.", true);
        }

        return (await session.Policy.AfterAsync(call, output, cancellationToken), isError);
    }

    /// <summary>
    /// Runs a sub-agent call: a child session of <paramref name="sub"/> gets the task as its user message and runs to its
    /// answer, which is the call's output; its events join this turn's. A child that fails, or would nest too deep or
    /// call an agent already running above it, is an error the model reads.
    /// </summary>
    private async Task<(string Output, bool IsError)> RunSubAgentAsync(Agent sub, ToolCallRequest call, CancellationToken cancellationToken)
    {
        var maxDepth = session.Policy.Chain[0].Limits.MaxSubAgentDepth ?? DefaultMaxSubAgentDepth;
        if (session.Depth + 1 > maxDepth)
        {
            return ($"Error: sub-agent '{sub.Name}' would run at depth {session.Depth + 1}, past the limit of {maxDepth}.", true);
        }

        if (session.Policy.Chain.Any(a => ReferenceEquals(a, sub)))
        {
            return ($"Error: agent '{sub.Name}' is already running above this call ({string.Join(" -> ", session.Policy.Chain.Select(a => a.Name))}); sub-agents may not call themselves back.", true);
        }

        string task;
        try
        {
            using var parsed = JsonDocument.Parse(string.IsNullOrWhiteSpace(call.Arguments) ? "{}" : call.Arguments);
            task = parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("task", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()!
                : string.Empty;
        }
        catch (JsonException e)
        {
            return ($"Error: the arguments are not a JSON object ({e.Message}).", true);
        }

        if (task.Length == 0)
        {
            return ($"Error: sub-agent '{sub.Name}' needs a non-empty 'task'.", true);
        }

        var child = await session.Runtime.CreateChildSessionAsync(sub, this, call.CallId, cancellationToken);
        ThreadRun? final = null;
        await foreach (var childEvent in child.RunAsync(task, cancellationToken))
        {
            childEvents.Enqueue(childEvent);
            if (childEvent is RunStatusChanged changed && changed.Run.ThreadId == child.Id)
            {
                final = changed.Run;
            }
        }

        if (child.IsPaused)
        {
            return ($"Error: sub-agent '{sub.Name}' stopped waiting for a decision nobody can give inside a sub-agent.", true);
        }

        if (final is null || final.Status != RunStatus.Completed)
        {
            var why = final?.LastError?.Message ?? final?.IncompleteDetails?.Reason ?? final?.Status ?? "no result";
            return ($"Error: sub-agent '{sub.Name}' ended {final?.Status ?? "without a result"}: {why} (session {child.Id}).", true);
        }

        var messages = await child.GetMessagesAsync(CancellationToken.None);
        var answer = messages.LastOrDefault(m => m.Role == MessageRoles.Assistant && m.RunId == final.Id);
        return (string.Concat(answer?.Content.Select(c => c.Text?.Value) ?? []), false);
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
