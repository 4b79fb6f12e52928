namespace AgentHost.Sandbox;

/// <summary>
/// A frame from the driver: <c>ready</c>, <c>out</c>, <c>image</c>, <c>file</c>, <c>removed</c>, <c>put_ok</c>,
/// <c>remove_ok</c> or <c>done</c> (with what the call could not collect, and why a session broke the protocol).
/// </summary>
internal sealed record SandboxFrame(string Type, string? Name, string? Error, byte[] Body)
{
    public string? Detail { get; init; }

    public int SkippedFiles { get; init; }

    public int SkippedImages { get; init; }
}
