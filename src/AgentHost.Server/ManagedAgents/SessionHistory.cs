using System.Collections.Concurrent;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// The conversation a session's turn continues, read from the session's event log; and, when the turn ends with no
/// recorder watching it (it was paused, or the process restarted), the session's move to idle. A turn's history is read
/// once, from the session's latest compaction on (<see cref="SessionCompaction"/>); its later model calls read only the
/// events appended since, which are the turn's own and so are not part of its history.
/// </summary>
internal sealed class SessionHistory(SessionRecords sessions, SessionEventRecorder recorder, SessionTurnEnds ends, SessionGates gates,
    SessionCompaction compaction) : IRunHistory
{
    private readonly ConcurrentDictionary<string, LoadedHistory> loaded = new(StringComparer.Ordinal);

    public string EntryPoint => ModelCallEntryPoints.ManagedAgents;

    public async Task<IReadOnlyList<ChatMessage>> LoadAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var sessionId = run.Profile?.SessionId ?? throw new InvalidOperationException($"Run {run.Id} of a session names no session.");
        gates.Attach(run.Id);
        await recorder.EnsureRecordingAsync(sessionId, run, cancellationToken);
        if (loaded.TryGetValue(run.Id, out var known))
        {
            // Events of this turn other than its user messages are the turn's output, which the engine sends from its steps.
            var newer = await sessions.Store.EventsAfterAsync(sessionId, known.Through, cancellationToken);
            if (newer.All(e => e.RunId == run.Id && e.Type != "user.message"))
            {
                loaded[run.Id] = known with { Through = newer.Count > 0 ? newer[^1].Sequence : known.Through };
                return known.Messages;
            }
        }

        var history = await compaction.LoadAsync(sessionId, run, cancellationToken);
        loaded[run.Id] = history;
        return history.Messages;
    }

    public async Task RunEndedAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        loaded.TryRemove(run.Id, out _);
        gates.Detach(run.Id);
        if (run.Profile?.SessionId is { } sessionId && !recorder.IsRecording(run.Id))
        {
            await ends.EndedAsync(sessionId, run, null, cancellationToken);
        }
    }
}
