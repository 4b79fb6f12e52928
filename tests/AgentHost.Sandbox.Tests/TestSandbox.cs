using AgentHost.Core.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Sandbox.Tests;

/// <summary>A real bubblewrap sandbox with short limits, so limit tests end quickly.</summary>
internal static class TestSandbox
{
    public static BubblewrapSandbox Create(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions
        {
            Preload = "",
            PrewarmSession = false,
            // Generous: on a loaded CI machine a limit test must hit its own limit, not the wall clock.
            CallTimeout = TimeSpan.FromSeconds(30),
            InterruptGrace = TimeSpan.FromSeconds(1),
            CpuSecondsPerCall = 2,
            MemoryLimitMB = 512,
            MaxProcesses = 32,
            MaxOutputBytes = 64 * 1024,
            MaxFileSizeMB = 8,
        };
        configure?.Invoke(options);
        return new BubblewrapSandbox(options, TimeProvider.System, NullLogger<BubblewrapSandbox>.Instance);
    }

    public static async Task<SandboxResult> RunAsync(this ISandboxSession session, string code) =>
        await session.ExecuteAsync(code, null, CancellationToken.None);
}
