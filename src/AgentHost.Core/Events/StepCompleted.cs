using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>A run step ended; its status says how: <c>completed</c>, <c>failed</c>, <c>cancelled</c> or <c>expired</c>.</summary>
public sealed record StepCompleted(RunStep Step) : AgentEvent;
