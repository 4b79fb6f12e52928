using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox.Tests;

/// <summary>Each limit stops the call with a clear message in its logs; the session and others keep working.</summary>
public sealed class LimitTests : IAsyncLifetime
{
    private BubblewrapSandbox sandbox = null!;
    private ISandboxSession session = null!;

    public async Task InitializeAsync()
    {
        sandbox = TestSandbox.Create();
        session = await sandbox.StartSessionAsync(CancellationToken.None);
        await session.RunAsync("kept = 42");
    }

    public async Task DisposeAsync()
    {
        await session.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    [Fact]
    public async Task ForkBomb_IsStoppedAtTheProcessLimit()
    {
        var result = await session.RunAsync("import os\nwhile True:\n    os.fork()");

        Assert.Equal(SandboxFailure.Processes, result.Failure);
        Assert.Contains("at most 32 processes", result.Logs);
        await AssertStillWorksAsync();
    }

    [Fact]
    public async Task MemoryBomb_IsStoppedAtTheMemoryLimit()
    {
        // A CPU limit far above the memory limit's cost: on a loaded CI machine zeroing 500 MB once took over 2 s of CPU.
        await using var patient = TestSandbox.Create(o => o.CpuSecondsPerCall = 60);
        await session.DisposeAsync();
        session = await patient.StartSessionAsync(CancellationToken.None);
        await session.RunAsync("kept = 42");

        var result = await session.RunAsync("hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))");

        Assert.Equal(SandboxFailure.Memory, result.Failure);
        Assert.Contains("out of memory; the session may use at most 512 MB", result.Logs);
        await AssertStillWorksAsync("del hog\n");
    }

    [Fact]
    public async Task InfiniteLoop_IsStoppedAtTheCpuLimit()
    {
        // A wall limit far above the CPU limit, so a busy machine still hits the CPU limit first.
        await using var patient = TestSandbox.Create(o => o.CallTimeout = TimeSpan.FromSeconds(60));
        await using var busy = await patient.StartSessionAsync(CancellationToken.None);
        await busy.RunAsync("kept = 42");

        var result = await busy.RunAsync("while True:\n    pass");

        Assert.Equal(SandboxFailure.CpuTime, result.Failure);
        Assert.Contains("more than 2 s of CPU time", result.Logs);
        Assert.Equal("43\n", (await busy.RunAsync("kept + 1")).Logs);
    }

    [Fact]
    public async Task Sleeping_IsInterruptedAtTheWallTimeLimit()
    {
        await using var hasty = TestSandbox.Create(o => o.CallTimeout = TimeSpan.FromSeconds(2));
        await session.DisposeAsync();
        session = await hasty.StartSessionAsync(CancellationToken.None);
        await session.RunAsync("kept = 42");

        var result = await session.RunAsync("import time\ntime.sleep(60)");

        Assert.Equal(SandboxFailure.WallTime, result.Failure);
        Assert.Contains("ran longer than the limit of 2 s", result.Logs);
        Assert.Contains("KeyboardInterrupt", result.Logs);
        Assert.False(result.SessionLost);
        await AssertStillWorksAsync();
    }

    [Fact]
    public async Task CodeIgnoringTheInterrupt_IsKilledAndTheSessionReportedLost()
    {
        await using var hasty = TestSandbox.Create(o => o.CallTimeout = TimeSpan.FromSeconds(2));
        await session.DisposeAsync();
        session = await hasty.StartSessionAsync(CancellationToken.None);
        var result = await session.RunAsync("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)");

        Assert.Equal(SandboxFailure.WallTime, result.Failure);
        Assert.True(result.SessionLost);
        Assert.True(session.HasExited);
        Assert.Contains("did not stop when interrupted", result.Logs);
        await using var fresh = await sandbox.StartSessionAsync(CancellationToken.None);
        Assert.Equal("2\n", (await fresh.RunAsync("1 + 1")).Logs);
    }

    [Fact]
    public async Task HundredMegabytesOfOutput_IsCutAtTheOutputLimit()
    {
        var result = await session.RunAsync("import sys\nfor _ in range(100):\n    sys.stdout.write('x' * (1024 * 1024))");

        Assert.Equal(SandboxFailure.Output, result.Failure);
        Assert.InRange(result.Logs.Length, 64 * 1024, 64 * 1024 + 500);
        Assert.Contains("output passed the limit of 65536 bytes", result.Logs);
        await AssertStillWorksAsync();
    }

    [Fact]
    public async Task HugeFile_IsRefusedAtTheFileSizeLimit()
    {
        var result = await session.RunAsync("""
            try:
                with open('/tmp/big', 'wb') as f:
                    f.write(b'x' * (10 * 1024 * 1024))
            except OSError as e:
                print(e.strerror)
            """);

        Assert.Contains("File too large", result.Logs);
        await AssertStillWorksAsync();
    }

    private async Task AssertStillWorksAsync(string prefix = "")
    {
        Assert.False(session.HasExited);
        Assert.Equal("43\n", (await session.RunAsync(prefix + "kept + 1")).Logs);
        await using var other = await sandbox.StartSessionAsync(CancellationToken.None);
        Assert.Equal("2\n", (await other.RunAsync("1 + 1")).Logs);
    }
}
