using AgentHost.Core.Sandbox;

namespace AgentHost.Core.Containers;

/// <summary>A container's live sandbox session, if any. Guarded by <see cref="Gate"/>.</summary>
internal sealed class ContainerSandbox
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public ISandboxSession? Session { get; set; }

    /// <summary>True once this process started a session for the container, so a later new one is announced as a reset.</summary>
    public bool HadSession { get; set; }

    public DateTimeOffset LastUsed { get; set; }
}
