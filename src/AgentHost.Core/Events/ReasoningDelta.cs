namespace AgentHost.Core.Events;

/// <summary>More of the model's reasoning (thinking) for the current turn; not part of any message.</summary>
/// <param name="Text">The reasoning text that arrived.</param>
public sealed record ReasoningDelta(string Text) : AgentEvent
{
    /// <summary>The id of the turn's reasoning record (<c>rs_…</c>), as <see cref="ReasoningCompleted"/> and the step carry it.</summary>
    public string? ItemId { get; init; }
}
