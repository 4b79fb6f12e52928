using System.Collections.Concurrent;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Keeps a turn's events in its session's log as the engine publishes them (subscribed before the run is queued, so
/// nothing is missed), until the turn pauses or ends. A turn resumed after a restart is recorded again from its
/// history's load, after a <c>session.status_rescheduled</c>.
/// </summary>
internal sealed partial class SessionEventRecorder(SessionEventLog log, SessionRecords sessions, SessionTurnEnds ends, RunEventHub hub,
    SessionPreviews previews, ILogger<SessionEventRecorder> logger)
{
    /// <summary>The recording of each turn being recorded; a recording that ends removes only itself, not its successor.</summary>
    private readonly ConcurrentDictionary<string, object> recording = new(StringComparer.Ordinal);

    public bool IsRecording(string runId) => recording.ContainsKey(runId);

    /// <summary>Records <paramref name="run"/> from <paramref name="subscription"/>, taken before the run was queued.</summary>
    public async Task StartAsync(SessionState session, ThreadRun run, RunSubscription subscription, CancellationToken cancellationToken)
    {
        // The turn's previous recording (before it paused) may not have finished yet: this one replaces it.
        var token = new object();
        recording[run.Id] = token;
        var known = await KnownCallsAsync(session.Id, run.Id, session.RunSince, cancellationToken);
        _ = Task.Run(() => RecordAsync(session.Id, run, subscription, known, token));
    }

    /// <summary>A turn resumed after a restart: records it again, unless it is recorded already.</summary>
    public async Task EnsureRecordingAsync(string sessionId, ThreadRun run, CancellationToken cancellationToken)
    {
        var token = new object();
        if (!recording.TryAdd(run.Id, token))
        {
            return;
        }

        var subscription = hub.SubscribeHere(run.Id);
        var since = (await sessions.FindAsync(sessionId, cancellationToken)) is { } session && session.RunId == run.Id ? session.RunSince : 0;
        var known = await KnownCallsAsync(sessionId, run.Id, since, cancellationToken);

        // A model call the old process was making is closed as failed before the turn is rescheduled.
        var events = (await sessions.Store.EventsAfterAsync(sessionId, since, cancellationToken)).Where(e => e.RunId == run.Id).ToList();
        var appended = new List<System.Text.Json.Nodes.JsonObject>();
        if (events.LastOrDefault(e => e.Type is "span.model_request_start" or "span.model_request_end") is { Type: "span.model_request_start" } open)
        {
            var end = log.New("span.model_request_end");
            end["model_request_start_id"] = open.Id;
            end["is_error"] = true;
            end["model_usage"] = new System.Text.Json.Nodes.JsonObject
            {
                ["input_tokens"] = 0, ["output_tokens"] = 0, ["cache_read_input_tokens"] = 0, ["cache_creation_input_tokens"] = 0,
            };
            appended.Add(end);
        }

        await log.AppendAsync(sessionId, run.Id, cancellationToken, [.. appended, log.New("session.status_rescheduled"), log.New("session.status_running")]);
        _ = Task.Run(() => RecordAsync(sessionId, run, subscription, known, token));
    }

    /// <summary>The tool uses <paramref name="runId"/> logged so far, by call id, read from <paramref name="since"/> on.</summary>
    private async Task<Dictionary<string, string>> KnownCallsAsync(string sessionId, string runId, long since, CancellationToken cancellationToken)
    {
        var events = await sessions.Store.EventsAfterAsync(sessionId, since, cancellationToken);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var use in events.Where(e => e.RunId == runId && e.CallId is not null && e.Type is "agent.tool_use" or "agent.mcp_tool_use" or "agent.custom_tool_use"))
        {
            known[use.CallId!] = use.Id;
        }

        return known;
    }

    private async Task RecordAsync(string sessionId, ThreadRun run, RunSubscription subscription, Dictionary<string, string> known, object token)
    {
        try
        {
            using (subscription)
            {
                var agent = (await sessions.FindAsync(sessionId, CancellationToken.None))?.Agent;
                var renderer = new SessionEventRenderer(log, known, (type, name) => agent is null ? "always_allow" : SessionTools.PolicyFor(agent, type, name));
                var last = 0L;
                while (await subscription.WaitToReadAsync(CancellationToken.None))
                {
                    while (subscription.TryRead(out var agentEvent))
                    {
                        switch (agentEvent)
                        {
                            case ApprovalRequested approval:
                                renderer.Pending = approval.Pending;
                                break;
                            case RunStatusChanged { Run.Status: RunStatus.RequiresAction }:
                                var waiting = renderer.Pending.Select(p => renderer.EventOf(p.CallId)).OfType<string>().ToList();
                                await ends.PausedAsync(sessionId, run.Id, waiting, CancellationToken.None);
                                return;
                            case RunStatusChanged changed when RunStatus.IsTerminal(changed.Run.Status):
                                await ends.EndedAsync(sessionId, changed.Run, renderer.CloseModelRequest(), CancellationToken.None);
                                return;
                            default:
                                if (previews.IsWatched(sessionId))
                                {
                                    foreach (var (preview, previewedType) in renderer.Preview(agentEvent))
                                    {
                                        previews.Publish(sessionId, SessionPreview.Of(preview, previewedType, last));
                                    }
                                }

                                var stored = await log.AppendAsync(sessionId, renderer.Render(agentEvent), CancellationToken.None);
                                last = stored.Count > 0 ? stored[^1].Sequence : last;
                                break;
                        }
                    }
                }
            }
        }
        catch (Exception exception)
        {
            LogRecordingFailed(logger, sessionId, run.Id, exception);
        }
        finally
        {
            recording.TryRemove(new KeyValuePair<string, object>(run.Id, token));
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Error, Message = "Recording the events of session {SessionId}'s turn {RunId} failed")]
    private static partial void LogRecordingFailed(ILogger logger, string sessionId, string runId, Exception exception);
}
