using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// The conversation a session's turn continues, read from the session's event log; and, when the turn ends with no
/// recorder watching it (it was paused, or the process restarted), the session's move to idle.
/// </summary>
internal sealed class SessionHistory(SessionRecords sessions, SessionEventRecorder recorder, SessionTurnEnds ends, SessionGates gates) : IRunHistory
{
    public string EntryPoint => ModelCallEntryPoints.ManagedAgents;

    public async Task<IReadOnlyList<ChatMessage>> LoadAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var sessionId = run.Profile?.SessionId ?? throw new InvalidOperationException($"Run {run.Id} of a session names no session.");
        gates.Attach(run.Id);
        await recorder.EnsureRecordingAsync(sessionId, run, cancellationToken);
        var events = await sessions.Store.EventsAfterAsync(sessionId, 0, cancellationToken);
        return SessionConversation.Before(events, run.Id);
    }

    public async Task RunEndedAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        gates.Detach(run.Id);
        if (run.Profile?.SessionId is { } sessionId && !recorder.IsRecording(run.Id))
        {
            await ends.EndedAsync(sessionId, run, null, cancellationToken);
        }
    }
}
