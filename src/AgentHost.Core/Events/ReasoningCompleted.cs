using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>
/// The model finished reasoning for this turn (its text, then a message or tool calls follow): the whole record, with
/// the provider's opaque payloads, as the turn's first step will keep it.
/// </summary>
public sealed record ReasoningCompleted(StepReasoning Reasoning) : AgentEvent;
