namespace AgentHost.Core.Sandbox;

/// <summary>
/// Runs untrusted Python in isolated, stateful sessions. The code interpreter uses it; so can any feature that needs
/// to run code (agent library, MCP), through the same limits.
/// </summary>
public interface ICodeSandbox
{
    /// <summary>Null when sessions can be started; otherwise why not, and what to install.</summary>
    string? UnavailableReason { get; }

    /// <summary>Starts a session (or hands over a pre-warmed one). Throws <see cref="SandboxUnavailableException"/>.</summary>
    Task<ISandboxSession> StartSessionAsync(CancellationToken cancellationToken);
}
