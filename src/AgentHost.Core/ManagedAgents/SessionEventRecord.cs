namespace AgentHost.Core.ManagedAgents;

/// <summary>
/// One event of a session's append-only log (<c>sevt_…</c>): what the user sent and what the agent did, in the order
/// it happened (<see cref="Sequence"/>, assigned by the store), so a client that lost its stream lists what it missed.
/// </summary>
/// <param name="Id">The event's id, unique in the session.</param>
/// <param name="Type">The event's <c>type</c> (<c>user.message</c>, <c>agent.tool_use</c>, …).</param>
/// <param name="RunId">The turn (engine run) the event belongs to, if any.</param>
/// <param name="CallId">For a tool use, the engine's id of the call; for an answer to one, the id of the call it answers.</param>
/// <param name="ProcessedAtMs">When it was processed, Unix milliseconds.</param>
/// <param name="Data">The event's JSON as the API shows it.</param>
public sealed record SessionEventRecord(string Id, string Type, string? RunId, string? CallId, long ProcessedAtMs, string Data)
{
    /// <summary>The event's position in its session's log; 0 until stored.</summary>
    public long Sequence { get; init; }
}
