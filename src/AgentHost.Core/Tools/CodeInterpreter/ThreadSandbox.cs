using AgentHost.Core.Sandbox;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>A thread's sandbox session and what AgentHost knows about it. Guarded by <see cref="Gate"/>.</summary>
internal sealed class ThreadSandbox
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public ISandboxSession? Session { get; set; }

    /// <summary>True once a session existed, so a later new one is announced as a reset.</summary>
    public bool HadSession { get; set; }

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Input files copied into the current session: file id → name under /mnt/data.</summary>
    public Dictionary<string, string> Inputs { get; } = [];

    /// <summary>Files the code wrote, by sandbox path (<c>/mnt/data/x.csv</c>) → file id; outlives sessions, as the files do.</summary>
    public Dictionary<string, string> Outputs { get; } = [];
}
