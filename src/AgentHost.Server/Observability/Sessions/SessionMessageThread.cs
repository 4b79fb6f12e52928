using AgentHost.Core.Conversations;

namespace AgentHost.Server.Observability.Sessions;

/// <summary>
/// A Messages API thread AgentHost holds (<c>thread</c> on <c>/v1/messages</c>): its id is its first reply's, and its
/// turns, in order, are its history. Shown in a session's view and by <c>GET /v1/agenthost/message_threads/{id}</c>.
/// </summary>
public sealed record SessionMessageThread
{
    public required string Id { get; init; }
    public string Object { get; init; } = "agenthost.message_thread";
    public required IReadOnlyList<SessionThreadTurn> Turns { get; init; }

    /// <summary>The turns grouped by thread, each thread where its first turn falls.</summary>
    public static IReadOnlyList<SessionMessageThread> Group(IEnumerable<MessageThreadTurn> turns) =>
        [.. turns.GroupBy(t => t.ThreadId, StringComparer.Ordinal).Select(g => new SessionMessageThread { Id = g.Key, Turns = [.. g.Select(SessionThreadTurn.From)] })];
}
