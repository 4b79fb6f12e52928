namespace AgentHost.Core.Events;

/// <summary>The engine asked <paramref name="Model"/> for the next turn.</summary>
public sealed record ModelCallStarted(string Model) : AgentEvent;
