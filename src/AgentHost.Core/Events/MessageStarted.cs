using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>The model began writing <see cref="Message"/> (saved, in progress, no content yet).</summary>
public sealed record MessageStarted(ThreadMessage Message) : AgentEvent;
