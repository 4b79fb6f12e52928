using System.Runtime.Versioning;
using AgentHost.Core.Tools.AgentToolset;
using AgentHost.Testing.Requirements;

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary>A workspace outlives its sandbox session: files written by bash and the file tools come back in a fresh session.</summary>
[SupportedOSPlatform("linux")]
public sealed class AgentToolsetPersistenceTests
{
    [RequiresFact("bwrap")]
    public async Task FilesWrittenByBash_SurviveARestart_InAFreshSession()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "mkdir -p reports && echo 'line one' > reports/a.txt && cd reports && export GONE=1");
        await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "reports/a.txt", old_string = "one", new_string = "two" });

        await harness.RestartAsync();

        var read = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "reports/a.txt" });
        Assert.Equal("     1\tline two\n", read.Output);
        // A new process knows nothing of the old shell: a fresh one, in the workspace.
        Assert.Equal("/mnt/data [] line two\n", await harness.BashAsync(workspace, "echo \"$PWD [$GONE] $(cat reports/a.txt)\""));
    }

    [RequiresFact("bwrap")]
    public async Task ASessionStoppedWhileIdle_ComesBackWithTheFiles_AndTheModelIsToldTheShellIsNew()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "echo kept > kept.txt && cd /tmp");

        harness.Time.Advance(TimeSpan.FromMinutes(11));
        await harness.Sessions.StopIdleAsync();
        Assert.Equal(0, harness.Sessions.LiveSessions);

        var output = await harness.BashAsync(workspace, "pwd; cat kept.txt");
        Assert.Equal(AgentToolsetSource.NewShellNotice + "/mnt/data\nkept\n", output);
        var read = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "kept.txt" });
        Assert.Equal("     1\tkept\n", read.Output);
    }
}
