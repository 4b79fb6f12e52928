using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using AgentHost.Core.Tools.AgentToolset;
using AgentHost.Testing.Requirements;

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary>
/// The code interpreter's containment, for session workspaces: no network, no host files, the sandbox's limits, the
/// workspace's quota, and another session's workspace out of sight — through bash and the file tools alike.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AgentToolsetContainmentTests
{
    [RequiresFact("bwrap")]
    public async Task FileTools_RefusePathsOutsideTheWorkspace_IncludingThroughSymlinks()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "ln -s /etc/hostname host-file && ln -s /usr/bin up && mkdir inner && ln -s ../.. inner/escape");

        var calls = new (string Tool, object Arguments)[]
        {
            (AgentToolNames.Read, new { file_path = "../../etc/passwd" }),
            (AgentToolNames.Read, new { file_path = "/etc/passwd" }),
            (AgentToolNames.Read, new { file_path = "host-file" }),
            (AgentToolNames.Read, new { file_path = "inner/escape/etc/hostname" }),
            (AgentToolNames.Write, new { file_path = "../outside.txt", content = "x" }),
            (AgentToolNames.Write, new { file_path = "up/planted", content = "x" }),
            (AgentToolNames.Edit, new { file_path = "/usr/lib/os-release", old_string = "a", new_string = "b" }),
            (AgentToolNames.Glob, new { pattern = "*", path = "/usr" }),
            (AgentToolNames.Glob, new { pattern = "../../usr/*" }),
            (AgentToolNames.Glob, new { pattern = "/usr/**/*.py" }),
            (AgentToolNames.Grep, new { pattern = "root", path = "/etc" }),
            (AgentToolNames.Grep, new { pattern = "root", path = "inner/escape" }),
        };
        foreach (var (tool, arguments) in calls)
        {
            var view = await harness.CallAsync(workspace, tool, arguments);
            Assert.True(view.IsError, $"{tool} {view.Arguments}: {view.Output}");
            Assert.Contains("outside the workspace", view.Output, StringComparison.Ordinal);
        }

        // Links inside the workspace that lead out are not followed by glob and grep either.
        var glob = await harness.CallAsync(workspace, AgentToolNames.Glob, new { pattern = "**/*" });
        var grep = await harness.CallAsync(workspace, AgentToolNames.Grep, new { pattern = "." });
        Assert.Equal("No files found", glob.Output);
        Assert.Equal("No matches found", grep.Output);
    }

    [RequiresFact("bwrap")]
    public async Task Bash_SeesNoHostFiles()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        var secret = Path.Combine(Path.GetTempPath(), $"agenthost-host-secret-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(secret, "host secret");
        try
        {
            var view = await harness.CallAsync(workspace, AgentToolNames.Bash,
                new { command = $"cat {secret}; cat /etc/passwd; ls /home /root /work 2>&1 | head -3; echo done" });

            Assert.DoesNotContain("host secret", view.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x:0:0", view.Output, StringComparison.Ordinal);
            Assert.Contains($"cat: {secret}: No such file or directory", view.Output, StringComparison.Ordinal);
            Assert.Contains("cat: /etc/passwd: No such file or directory", view.Output, StringComparison.Ordinal);
            Assert.EndsWith("done\n", view.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [RequiresFact("bwrap")]
    public async Task Bash_HasNoNetwork_AConnectionToTheHostFails()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var view = await harness.CallAsync(workspace, AgentToolNames.Bash,
            new { command = $"(exec 3<>/dev/tcp/127.0.0.1/{port}) && echo connected || echo refused; (exec 3<>/dev/tcp/1.1.1.1/80) && echo connected || echo refused" });

        Assert.Contains("refused\n", view.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("connected", view.Output, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [RequiresFact("bwrap")]
    public async Task Bash_IsHeldToTheSandboxsMemoryAndProcessLimits()
    {
        await using var harness = new WorkspaceHarness(o => o.MaxProcesses = 16);
        var workspace = await harness.NewWorkspaceAsync();

        var memory = await harness.CallAsync(workspace, AgentToolNames.Bash,
            new { command = "python3 -c 'b = bytearray(1024 * 1024 * 1024)' 2>&1 | tail -1" });
        var processes = await harness.CallAsync(workspace, AgentToolNames.Bash,
            new { command = "for i in $(seq 1 40); do sleep 30 & done 2>&1 | head -1; echo spawned" });

        Assert.Contains("MemoryError", memory.Output, StringComparison.Ordinal);
        Assert.Contains("Resource temporarily unavailable", processes.Output, StringComparison.Ordinal);
        // The background sleeps ended with the call; the shell still works.
        Assert.Equal("ok\n", await harness.BashAsync(workspace, "echo ok"));
    }

    [RequiresFact("bwrap")]
    public async Task WritingPastTheWorkspaceQuota_Fails_ThroughBashAndWrite()
    {
        await using var harness = new WorkspaceHarness(o => o.DataSizeMB = 4);
        var workspace = await harness.NewWorkspaceAsync();

        var bash = await harness.CallAsync(workspace, AgentToolNames.Bash, new { command = "head -c 6000000 /dev/zero > big.bin" });
        await harness.BashAsync(workspace, "rm -f big.bin");
        var write = await harness.CallAsync(workspace, AgentToolNames.Write, new { file_path = "big.txt", content = new string('x', 5_000_000) });

        Assert.True(bash.IsError);
        Assert.Contains("No space left on device", bash.Output, StringComparison.Ordinal);
        Assert.True(write.IsError);
        Assert.Contains("no space left in the workspace (it holds at most 4 MB)", write.Output, StringComparison.Ordinal);
        Assert.Equal("(no output)", await harness.BashAsync(workspace, "ls -A"));
    }

    [RequiresFact("bwrap")]
    public async Task AnotherSessionsWorkspace_IsInvisible()
    {
        await using var harness = new WorkspaceHarness();
        var mine = await harness.NewWorkspaceAsync();
        var theirs = await harness.NewWorkspaceAsync();
        await harness.CallAsync(theirs, AgentToolNames.Write, new { file_path = "private.txt", content = "theirs" });
        await harness.BashAsync(theirs, "export THEIRS=1 && cd /tmp");

        var listing = await harness.BashAsync(mine, "ls -A /mnt/data; echo \"[$THEIRS] $PWD\"");
        var read = await harness.CallAsync(mine, AgentToolNames.Read, new { file_path = "private.txt" });
        var grep = await harness.CallAsync(mine, AgentToolNames.Grep, new { pattern = "theirs", path = "/mnt/data" });

        Assert.Equal("[] /mnt/data\n", listing);
        Assert.True(read.IsError);
        Assert.Equal("File does not exist: /mnt/data/private.txt", read.Output);
        Assert.Equal("No matches found", grep.Output);
    }
}
