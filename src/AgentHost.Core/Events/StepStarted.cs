using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>A run step was created and is in progress (the persisted step, whole).</summary>
public sealed record StepStarted(RunStep Step) : AgentEvent;
