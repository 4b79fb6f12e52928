using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>A message was finished (status <c>completed</c>) or cut short (<c>incomplete</c>), with its final content and annotations.</summary>
public sealed record MessageCompleted(ThreadMessage Message) : AgentEvent;
