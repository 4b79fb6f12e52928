using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox.Tests;

/// <summary>A session behaves like a notebook: state across calls, files in, figures and files out.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task State_PersistsAcrossCalls_AndTheLastExpressionIsShown()
    {
        await using var sandbox = TestSandbox.Create();
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        await session.RunAsync("import math\nradius = 2");
        var result = await session.RunAsync("print('area')\nround(math.pi * radius ** 2, 2)");

        Assert.Equal("area\n12.57\n", result.Logs);
        Assert.Null(result.Failure);
    }

    [Fact]
    public async Task ACallThatEndsThePython_LeavesTheSessionExited_BeforeItsProcessIsReaped()
    {
        await using var sandbox = TestSandbox.Create();
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync("import os\nos._exit(3)");

        Assert.True(result.SessionLost);
        Assert.Equal(SandboxFailure.Crashed, result.Failure);
        Assert.True(session.HasExited); // at once, so the next call starts a new session instead of writing to this one
    }

    [Fact]
    public async Task Errors_ShowTheTracebackOfTheCodeOnly()
    {
        await using var sandbox = TestSandbox.Create();
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync("x = 1\n1 / 0");

        Assert.StartsWith("Traceback (most recent call last):\n  File \"<cell>\", line 2", result.Logs);
        Assert.EndsWith("ZeroDivisionError: division by zero\n", result.Logs);
        Assert.DoesNotContain("driver", result.Logs);
    }

    [Fact]
    public async Task Files_PutInAreReadable_AndFilesWrittenComeBack()
    {
        await using var sandbox = TestSandbox.Create();
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        await session.PutFileAsync("../../sales.csv", "region,amount\nnorth,10\nsouth,32\n"u8.ToArray(), CancellationToken.None);
        var result = await session.RunAsync("""
            import pandas as pd
            df = pd.read_csv('/mnt/data/sales.csv')
            df.to_csv('/mnt/data/doubled.csv', index=False, columns=['region'])
            print(df.amount.sum())
            """);

        Assert.Equal("42\n", result.Logs);
        var file = Assert.Single(result.Files);
        Assert.Equal("doubled.csv", file.Name);
        Assert.Equal("region\nnorth\nsouth\n", System.Text.Encoding.UTF8.GetString(file.Content));
    }

    [Fact]
    public async Task Figures_ShownOrLeftOpen_ComeBackAsPng()
    {
        await using var sandbox = TestSandbox.Create(o => o.CpuSecondsPerCall = 30);
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync("""
            import matplotlib.pyplot as plt
            plt.plot([1, 2, 3])
            plt.show()
            plt.figure()
            plt.bar(['a', 'b'], [3, 4])
            """);

        Assert.Equal(2, result.Images.Count);
        Assert.All(result.Images, png => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]));
        Assert.DoesNotContain("non-interactive", result.Logs);
        Assert.Empty((await session.RunAsync("plt.get_fignums()")).Images);
    }

    [Fact]
    public async Task MissingBubblewrap_MakesTheSandboxUnavailable_WithWhatToInstall()
    {
        await using var sandbox = TestSandbox.Create(o => o.BubblewrapPath = "/nonexistent/bwrap");

        Assert.Contains("apt-get install bubblewrap", sandbox.UnavailableReason);
        var error = await Assert.ThrowsAsync<SandboxUnavailableException>(() => sandbox.StartSessionAsync(CancellationToken.None));
        Assert.Contains("apt-get install bubblewrap", error.Message);
    }
}
