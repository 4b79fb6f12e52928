namespace AgentHost.Core.Events;

/// <summary>More of the model's reasoning (thinking) for the current turn; not part of any message.</summary>
public sealed record ReasoningDelta(string Text) : AgentEvent;
