using System.Runtime.Versioning;
using AgentHost.Core.Tools.AgentToolset;
using AgentHost.Testing.Requirements;

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary>The persistent <c>bash</c> of a session's workspace: state between calls, timeouts, interrupts, long output.</summary>
[SupportedOSPlatform("linux")]
public sealed class AgentToolsetShellTests
{
    [RequiresFact("bwrap")]
    public async Task Bash_WorkingDirectoryVariablesFunctionsAndAliases_PersistBetweenCalls()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();

        Assert.Equal("/mnt/data\n", await harness.BashAsync(workspace, "pwd"));
        await harness.BashAsync(workspace, "mkdir -p project/src && cd project/src && export GREETING='hello world' && COUNT=3 && greet() { echo \"hi $1\"; } && alias ll='ls -la'");

        var output = await harness.BashAsync(workspace, "pwd; echo \"$GREETING/$COUNT\"; greet model; ll >/dev/null && echo alias-works; env | grep ^GREETING=");

        Assert.Equal("/mnt/data/project/src\nhello world/3\nhi model\nalias-works\nGREETING=hello world\n", output);
    }

    [RequiresFact("bwrap")]
    public async Task Bash_NonZeroExit_IsAnErrorWithTheExitCode_AndTheShellKeepsItsState()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();

        var failed = await harness.CallAsync(workspace, AgentToolNames.Bash, new { command = "cd /tmp && export KEPT=yes && echo to-stderr >&2 && exit 3" });

        Assert.True(failed.IsError);
        Assert.Equal("to-stderr\n[Exit code 3]", failed.Output);
        Assert.Equal("/tmp yes\n", await harness.BashAsync(workspace, "echo $PWD $KEPT"));
    }

    [RequiresFact("bwrap")]
    public async Task Bash_Timeout_KillsTheCommand_AndDiscardsTheShell()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "mkdir -p sub && cd sub && export LOST=1");

        var timedOut = await harness.CallAsync(workspace, AgentToolNames.Bash, new { command = "echo before; sleep 60; echo never", timeout_ms = 1500 });

        Assert.True(timedOut.IsError);
        Assert.StartsWith("before\n", timedOut.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("never", timedOut.Output, StringComparison.Ordinal);
        Assert.Contains("timed out after 1.5 s", timedOut.Output, StringComparison.Ordinal);
        Assert.Contains("The shell was restarted", timedOut.Output, StringComparison.Ordinal);
        Assert.Equal("/mnt/data []\n", await harness.BashAsync(workspace, "echo \"$PWD [$LOST]\""));
        Assert.Contains("sub", await harness.BashAsync(workspace, "ls"), StringComparison.Ordinal);
    }

    [RequiresFact("bwrap")]
    public async Task Bash_Restart_BringsBackAFreshShell()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "cd /tmp && export GONE=1");

        var restarted = await harness.CallAsync(workspace, AgentToolNames.Bash, new { restart = true });

        Assert.False(restarted.IsError);
        Assert.Contains("restarted", restarted.Output, StringComparison.Ordinal);
        Assert.Equal("/mnt/data []\n", await harness.BashAsync(workspace, "echo \"$PWD [$GONE]\""));
    }

    [RequiresFact("bwrap")]
    public async Task Bash_MissingCommand_IsAnErrorTheModelReads()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();

        var view = await harness.CallAsync(workspace, AgentToolNames.Bash, new { });

        Assert.True(view.IsError);
        Assert.Contains("'command' is required", view.Output, StringComparison.Ordinal);
    }

    [RequiresFact("bwrap")]
    public async Task Bash_LongOutput_KeepsTheLast100KiB_AndSaysHowMuchWasCut()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();

        var output = await harness.BashAsync(workspace, "head -c 300000 /dev/zero | tr '\\0' x; echo; echo THE-END");

        var cut = 300000 + 1 + 8 - 100 * 1024;
        Assert.StartsWith($"[Output truncated: the first {cut} bytes were cut; the last 102400 bytes of 300009 are shown.]\n", output, StringComparison.Ordinal);
        Assert.EndsWith("x\nTHE-END\n", output, StringComparison.Ordinal);
        Assert.Equal(100 * 1024 - 9, output.Count(c => c == 'x'));
    }

    [RequiresFact("bwrap")]
    public async Task Bash_Cancellation_KillsARunningSleepPromptly_AndTheShellWorksAfterwards()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "export SURVIVES=yes");
        var marker = $"600.{Random.Shared.Next(100000, 999999)}";
        using var interrupt = new CancellationTokenSource();

        var call = harness.CallAsync(workspace, AgentToolNames.Bash, new { command = $"sleep {marker}" }, interrupt.Token);
        await HostProcesses.WaitUntilAsync(() => HostProcesses.Running("sleep", marker), TimeSpan.FromSeconds(60), "the sleep to start");
        await interrupt.CancelAsync();

        // Within a few seconds (the sandbox's interrupt grace), not the command's 120 s timeout.
        var ended = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(call, ended);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await HostProcesses.WaitUntilAsync(() => !HostProcesses.Running("sleep", marker), TimeSpan.FromSeconds(30), "the sleep to be killed");
        Assert.Equal("yes\n", await harness.BashAsync(workspace, "echo $SURVIVES"));
    }
}
