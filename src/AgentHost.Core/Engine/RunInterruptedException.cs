namespace AgentHost.Core.Engine;

/// <summary>The run's stored status changed under the executor (cancelled or expired by a request); it stops.</summary>
public sealed class RunInterruptedException() : Exception("The run was changed by another writer.");
