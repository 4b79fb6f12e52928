using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// A session's turns on the engine. A <c>user.message</c> starts a turn: one run (its own record, as a response's) whose
/// history is the session's event log, whose tools are the agent's with the session's workspace, and whose model calls
/// are the session's gateway session, within its budget. A turn pauses where the engine pauses (custom tool uses,
/// <c>always_ask</c> calls) and goes on once every pending use is answered; <c>user.interrupt</c> cancels it.
/// </summary>
internal sealed class SessionTurns(SessionRecords sessions, SessionEventLog log, SessionEventRecorder recorder, SessionGates gates, IAgentStore runs,
    RunService runService, RunEventHub hub, TimeProvider time)
{
    /// <summary>How long an interrupt waits for the turn to stop before it answers.</summary>
    private static readonly TimeSpan InterruptWait = TimeSpan.FromSeconds(30);

    /// <summary>Starts a turn with <paramref name="messages"/> (validated <c>user.message</c> events without ids).</summary>
    public async Task<IReadOnlyList<JsonObject>> StartTurnAsync(SessionState session, IReadOnlyList<JsonObject> messages, CancellationToken cancellationToken)
    {
        RequireOpen(session);
        if (session.RunId is { } waiting)
        {
            throw session.Status == SessionRecords.Idle
                ? ApiException.Invalid($"Session '{session.Id}' is waiting on tool uses of its turn: answer them (user.custom_tool_result, user.tool_confirmation) or send user.interrupt first.", "events", "session_requires_action")
                : ApiException.Invalid($"Session '{session.Id}' is running turn {waiting}: wait for session.status_idle, or send user.interrupt first.", "events", "session_running");
        }

        var agent = session.Agent;
        var model = agent["model"]!.AsObject();
        var run = new ThreadRun
        {
            Id = IdGenerator.Run(),
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
            AssistantId = (string)agent["id"]!,
            Model = (string)model["id"]!,
            ThreadId = string.Empty,
            Instructions = (string?)agent["system"],
            Tools = SessionTools.For(agent, session.ContainerId),
            Temperature = null,
            TopP = null,
            ReasoningEffort = (string?)model["effort"]?["type"] switch { "xhigh" or "max" => "high", var effort => effort },
            Metadata = new Dictionary<string, string>(),
            Profile = new RunProfile
            {
                EntryPoint = ModelCallEntryPoints.ManagedAgents,
                ResumesAfterCrash = true,
                WaitsForOutputsIndefinitely = true,
                SessionId = session.Id,
                SessionBudgetUsd = Budget(session.Wire["budget"]),
            },
        };
        run = run with { ThreadId = run.Id };

        var newest = await sessions.Store.ListEventsAsync(session.Id, new Core.ManagedAgents.SessionEventQuery { Ascending = false, Limit = 1 }, cancellationToken);
        session.RunId = run.Id;
        session.RunSince = newest.Data.Count > 0 ? newest.Data[0].Sequence : 0;
        session.Answers = [];
        if (!await sessions.SaveAsync(session, SessionRecords.Running, SessionRecords.Idle, cancellationToken))
        {
            throw ApiException.Invalid($"Session '{session.Id}' started another turn meanwhile: wait for session.status_idle.", "events", "session_running");
        }

        var events = messages.Select(m => Stamp(m)).ToList();
        await log.AppendAsync(session.Id, run.Id, cancellationToken, [.. events, log.New("session.status_running")]);
        var subscription = hub.SubscribeHere(run.Id);
        try
        {
            await recorder.StartAsync(session, run, subscription, cancellationToken);
            if (await runs.TryCreateRunAsync(run, null, [], CancellationToken.None) is not null)
            {
                throw new InvalidOperationException($"Run {run.Id} exists already.");
            }
        }
        catch
        {
            subscription.Dispose();
            session.RunId = null;
            await sessions.SaveAsync(session, SessionRecords.Idle, SessionRecords.Running, CancellationToken.None);
            throw;
        }

        gates.Attach(run.Id);
        runService.Start(run.Id);
        return events;
    }

    /// <summary>
    /// Records answers (<c>user.custom_tool_result</c>, <c>user.tool_confirmation</c>) to the paused turn's tool uses;
    /// once all are answered the turn goes on, else the session stays idle waiting on the rest.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> AnswerAsync(SessionState session, IReadOnlyList<JsonObject> answers, CancellationToken cancellationToken)
    {
        RequireOpen(session);
        if (session.RunId is not { } runId || session.Status != SessionRecords.Idle
            || await runs.GetRunAsync(runId, runId, cancellationToken) is not { Status: RunStatus.RequiresAction, RequiredAction: { } action } run)
        {
            throw ApiException.Invalid($"Session '{session.Id}' is not waiting on any tool use.", "events", "no_pending_tool_use");
        }

        var pending = action.SubmitToolOutputs.ToolCalls.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var recorded = new List<(JsonObject, string?, string?)>();
        foreach (var answer in answers)
        {
            var type = (string)answer["type"]!;
            var useField = type == "user.custom_tool_result" ? "custom_tool_use_id" : "tool_use_id";
            var useId = (string)answer[useField]!;
            var use = await sessions.Store.GetEventAsync(session.Id, useId, cancellationToken);
            var expectedUse = type == "user.custom_tool_result" ? (string[])["agent.custom_tool_use"] : ["agent.tool_use", "agent.mcp_tool_use"];
            if (use is not { CallId: { } callId } || use.RunId != runId || !expectedUse.Contains(use.Type) || !pending.Contains(callId))
            {
                throw ApiException.Invalid($"'{useField}': '{useId}' is not a {string.Join(" or ", expectedUse)} event the session is waiting on.", useField, "invalid_tool_use_id");
            }

            if (session.Answers.ContainsKey(callId) || recorded.Any(r => r.Item3 == callId))
            {
                throw ApiException.Invalid($"'{useField}': '{useId}' was answered already.", useField, "tool_use_answered");
            }

            session.Answers[callId] = type == "user.custom_tool_result"
                ? (answer["is_error"]?.GetValue<bool>() == true ? "Error: " : string.Empty) + Text(answer["content"])
                : (string)answer["result"]! == "allow" ? "approve" : "deny: " + ((string?)answer["deny_message"] ?? "the user did not allow this call.");
            recorded.Add((Stamp(answer), runId, callId));
        }

        var unanswered = pending.Where(p => !session.Answers.ContainsKey(p)).ToList();
        if (unanswered.Count > 0)
        {
            if (!await sessions.SaveAsync(session, SessionRecords.Idle, SessionRecords.Idle, cancellationToken))
            {
                throw ApiException.Invalid($"Session '{session.Id}' changed meanwhile; list its events and answer again.", "events");
            }

            var waiting = (await sessions.Store.EventsAfterAsync(session.Id, session.RunSince, cancellationToken))
                .Where(e => e.RunId == runId && e.CallId is { } call && unanswered.Contains(call) && e.Type is "agent.tool_use" or "agent.mcp_tool_use" or "agent.custom_tool_use")
                .Select(e => (JsonNode)e.Id).ToList();
            var idle = log.New("session.status_idle");
            idle["stop_reason"] = new JsonObject { ["type"] = "requires_action", ["event_ids"] = new JsonArray([.. waiting]) };
            idle["stop_details"] = null;
            await log.AppendAsync(session.Id, [.. recorded, (idle, runId, null)], cancellationToken);
            return [.. recorded.Select(r => r.Item1)];
        }

        var outputs = pending.Select(p => new ToolOutput(p, (string)session.Answers[p]!)).ToList();
        session.Answers = [];
        if (!await sessions.SaveAsync(session, SessionRecords.Running, SessionRecords.Idle, cancellationToken))
        {
            throw ApiException.Invalid($"Session '{session.Id}' changed meanwhile; list its events and answer again.", "events");
        }

        await log.AppendAsync(session.Id, [.. recorded, (log.New("session.status_running"), runId, null)], cancellationToken);
        var subscription = hub.SubscribeHere(runId);
        await recorder.StartAsync(session, run, subscription, cancellationToken);
        gates.Attach(runId);
        await runService.SubmitToolOutputsAsync(runId, runId, outputs, CancellationToken.None);
        runService.Start(runId);
        return [.. recorded.Select(r => r.Item1)];
    }

    /// <summary>Stops the session's turn (killing a tool call in flight) and waits, within limits, until the session idles.</summary>
    public async Task<JsonObject> InterruptAsync(SessionState session, JsonObject interrupt, CancellationToken cancellationToken)
    {
        var stamped = Stamp(interrupt);
        await log.AppendAsync(session.Id, session.RunId, cancellationToken, stamped);
        if (session.RunId is not { } runId)
        {
            return stamped;
        }

        try
        {
            await runService.CancelRunAsync(runId, runId, cancellationToken);
        }
        catch (ApiException)
        {
            // The turn ended on its own meanwhile: the session idles as it ended.
        }

        var deadline = time.GetUtcNow() + InterruptWait;
        while (time.GetUtcNow() < deadline)
        {
            var appended = log.AppendedAsync(session.Id, cancellationToken);
            if ((await sessions.FindAsync(session.Id, cancellationToken))?.RunId != runId)
            {
                break;
            }

            await appended;
        }

        return stamped;
    }

    private static void RequireOpen(SessionState session)
    {
        if (session.Status == SessionRecords.Terminated)
        {
            throw ApiException.Invalid($"Session '{session.Id}' is terminated (archived) and takes no more events.", "events", "session_terminated");
        }
    }

    private JsonObject Stamp(JsonObject userEvent)
    {
        var stamped = log.New((string)userEvent["type"]!);
        foreach (var (key, value) in userEvent.Where(p => p.Key != "type"))
        {
            stamped[key] = value?.DeepClone();
        }

        return stamped;
    }

    /// <summary>The budget's <c>max_list_cost</c> in dollars (its amount is in cents).</summary>
    public static decimal? Budget(JsonNode? budget) =>
        budget?["max_list_cost"]?["amount"] is { } amount ? decimal.Parse((string)amount!, CultureInfo.InvariantCulture) / 100m : null;

    private static string Text(JsonNode? content) =>
        string.Concat(content?.AsArray().Where(b => (string?)b?["type"] == "text").Select(b => (string?)b!["text"]) ?? []);
}
