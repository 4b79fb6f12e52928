namespace AgentHost.Core.Events;

/// <summary>
/// Something a run did, as it happened: the engine publishes these and each front door renders them into its
/// own wire shape (Assistants <c>thread.*</c> SSE, the library's <c>IAsyncEnumerable</c>, …).
/// </summary>
public abstract record AgentEvent
{
    private static long lastSequence;

    /// <summary>The run (or response, or agent session turn) the event belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>Increases with every event this process publishes, so a run's events sort in publication order.</summary>
    public long Sequence { get; init; } = Interlocked.Increment(ref lastSequence);
}
