namespace AgentHost.Sandbox;

/// <summary>A new session's process was killed (SIGKILL) before it was ready, not timed out or refused: worth one more try.</summary>
internal sealed class SandboxKilledAtStartException(string message) : Exception(message);
