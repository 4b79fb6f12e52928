using System.Text.Json.Nodes;
using AgentHost.Core.Domain;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// How a turn stops, for the session: it idles (saved first, so a client that reads the idle event can send at once)
/// with a stop reason — <c>end_turn</c>, <c>requires_action</c> naming the tool uses it waits on, <c>budget_reached</c>,
/// or <c>retries_exhausted</c> after a <c>session.error</c>.
/// </summary>
internal sealed class SessionTurnEnds(SessionRecords sessions, SessionEventLog log)
{
    /// <summary>The turn paused for decisions: the session idles until they are all answered.</summary>
    public async Task PausedAsync(string sessionId, string runId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        if (!await SaveIdleAsync(sessionId, runId, keepRun: true, cancellationToken))
        {
            return;
        }

        await log.AppendAsync(sessionId, runId, cancellationToken, Idle("requires_action", eventIds));
    }

    /// <summary>The turn's run ended: the session idles with the reason it ended (once, whoever gets here first).</summary>
    public async Task EndedAsync(string sessionId, ThreadRun run, JsonObject? openModelRequest, CancellationToken cancellationToken)
    {
        if (!await SaveIdleAsync(sessionId, run.Id, keepRun: false, cancellationToken))
        {
            return;
        }

        var events = new List<JsonObject>();
        if (openModelRequest is not null)
        {
            events.Add(openModelRequest);
        }

        switch (run.Status)
        {
            case RunStatus.Failed:
                events.Add(Error(run.LastError?.Code == RunErrorCodes.RateLimitExceeded ? "model_rate_limited_error" : "model_request_failed_error",
                    run.LastError?.Message ?? "The turn failed."));
                events.Add(Idle("retries_exhausted"));
                break;
            case RunStatus.Expired:
                events.Add(Error("unknown_error", "The turn's pending tool calls were not answered in time (AgentHost:Runs:RequiresActionTimeout); the turn ended."));
                events.Add(Idle("end_turn"));
                break;
            case RunStatus.Incomplete when run.IncompleteDetails?.Reason.Contains("budget", StringComparison.Ordinal) == true:
                events.Add(Idle("budget_reached"));
                break;
            default:
                events.Add(Idle("end_turn"));
                break;
        }

        await log.AppendAsync(sessionId, run.Id, cancellationToken, [.. events]);
    }

    /// <summary>Moves the session whose turn is <paramref name="runId"/> to idle; false when it is not that turn's any more.</summary>
    private async Task<bool> SaveIdleAsync(string sessionId, string runId, bool keepRun, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await sessions.FindAsync(sessionId, cancellationToken) is not { } session || session.RunId != runId
                || (keepRun && session.Status == SessionRecords.Idle) || session.Status == SessionRecords.Terminated)
            {
                return false;
            }

            var expected = session.Status;
            session.Answers = [];
            session.RunId = keepRun ? runId : null;
            if (await sessions.SaveAsync(session, SessionRecords.Idle, expected, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private JsonObject Idle(string reason, IReadOnlyList<string>? eventIds = null)
    {
        var stop = new JsonObject { ["type"] = reason };
        if (eventIds is not null)
        {
            stop["event_ids"] = new JsonArray([.. eventIds.Select(i => (JsonNode)i)]);
        }

        var idle = log.New("session.status_idle");
        idle["stop_reason"] = stop;
        idle["stop_details"] = null;
        return idle;
    }

    private JsonObject Error(string type, string message)
    {
        var error = log.New("session.error");
        error["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["retry_status"] = new JsonObject { ["type"] = "exhausted" } };
        return error;
    }
}
