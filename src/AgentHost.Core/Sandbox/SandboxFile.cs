namespace AgentHost.Core.Sandbox;

/// <summary>A file the code wrote, by its path relative to <c>/mnt/data</c>.</summary>
public sealed record SandboxFile(string Name, byte[] Content);
