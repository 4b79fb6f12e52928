namespace AgentHost.Sandbox;

/// <summary>A frame from the driver: <c>ready</c>, <c>out</c>, <c>image</c>, <c>file</c>, <c>put_ok</c>, <c>remove_ok</c> or <c>done</c>.</summary>
internal sealed record SandboxFrame(string Type, string? Name, string? Error, byte[] Body);
