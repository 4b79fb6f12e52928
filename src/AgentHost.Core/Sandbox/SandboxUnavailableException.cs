namespace AgentHost.Core.Sandbox;

/// <summary>The sandbox cannot run code here; the message says what to install or configure. Never falls back to running unsandboxed.</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);
