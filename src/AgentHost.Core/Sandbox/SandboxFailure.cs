namespace AgentHost.Core.Sandbox;

/// <summary>Why a call stopped early. Every kind is also explained in plain words in the call's logs.</summary>
public enum SandboxFailure
{
    WallTime,
    CpuTime,
    Memory,
    Processes,
    Output,
    Crashed,

    /// <summary>The session broke the driver's protocol (frames out of turn, past the caps, malformed) and was killed.</summary>
    Violation,
}
