using System.Diagnostics;
using System.Text.Json;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentHost.Tools.Mcp.Tests;

public sealed class McpServerConnectionTests
{
    private static readonly Progress<ProgressNotificationValue> NoProgress = new();

    [RequiresFact("node:mcp-servers")]
    public async Task AStdioServer_StartsOnFirstUse_CachesItsTools_AndAnswersCalls()
    {
        await using var servers = EverythingServer.Servers(new McpOptions { Servers = { ["everything"] = EverythingServer.Stdio() } });
        var connection = servers.Configured("everything")!;
        Assert.False(connection.IsRunning);

        // The server registers more tools once initialized and says so (tools/list_changed), which may be handled after
        // the first listing: two listings with no change said in between must come from the cache.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<McpClientTool> tools, again;
        long changes;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "The server kept saying its tools changed.");
            changes = connection.ToolChanges;
            tools = await connection.ToolsAsync(CancellationToken.None);
            again = await connection.ToolsAsync(CancellationToken.None);
        }
        while (connection.ToolChanges != changes);

        var result = await connection.CallAsync("echo", new Dictionary<string, object?> { ["message"] = "hi" }, NoProgress, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(connection.IsRunning);
        Assert.Contains(tools, t => t.Name == "get-sum");
        Assert.Same(tools, again);
        Assert.Equal("Echo: hi", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AStdioServer_SeesOnlyItsConfiguredEnvironment()
    {
        Environment.SetEnvironmentVariable("AGENTHOST_TEST_SECRET", "not-for-mcp-servers");
        await using var servers = EverythingServer.Servers(new McpOptions
        {
            Servers = { ["everything"] = EverythingServer.Stdio(new Dictionary<string, string> { ["GREETING"] = "hello" }) },
        });

        var result = await servers.Configured("everything")!.CallAsync("get-env", new Dictionary<string, object?>(), NoProgress, TimeSpan.FromSeconds(30), CancellationToken.None);
        var env = JsonDocument.Parse(((TextContentBlock)result.Content[0]).Text).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        Assert.Equal("hello", env["GREETING"]);
        Assert.Equal(StdioLaunch.MinimalPath, env["PATH"]);
        Assert.Equal(Path.Combine(servers.Options.WorkRoot!, "everything"), env["HOME"]);
        Assert.DoesNotContain("AGENTHOST_TEST_SECRET", env.Keys);
        Assert.DoesNotContain(env.Values, v => v == "not-for-mcp-servers");
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AKilledServer_IsRestartedOnItsNextUse()
    {
        await using var servers = EverythingServer.Servers(new McpOptions
        {
            Servers = { ["everything"] = EverythingServer.Stdio() },
            RestartBackoff = TimeSpan.FromMilliseconds(50),
        });
        var connection = servers.Configured("everything")!;
        await connection.CallAsync("echo", new Dictionary<string, object?> { ["message"] = "one" }, NoProgress, TimeSpan.FromSeconds(30), CancellationToken.None);
        var first = EverythingServer.Pid(servers, "everything");
        if (Environment.IsPrivilegedProcess)
        {
            // As root, AgentHost runs servers under their own unprivileged uid.
            var uid = File.ReadAllLines($"/proc/{first}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            Assert.Equal(servers.Options.UidRangeStart.ToString(System.Globalization.CultureInfo.InvariantCulture), uid);
        }

        using (var process = Process.GetProcessById(first))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (connection.IsRunning)
        {
            Assert.True(DateTime.UtcNow < deadline, "The connection did not notice its server died.");
            await Task.Delay(20);
        }

        var result = await connection.CallAsync("echo", new Dictionary<string, object?> { ["message"] = "two" }, NoProgress, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("Echo: two", ((TextContentBlock)result.Content[0]).Text);
        Assert.NotEqual(first, EverythingServer.Pid(servers, "everything"));
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AServerThatKeepsDying_IsReportedUnavailable()
    {
        await using var servers = EverythingServer.Servers(new McpOptions
        {
            Servers = { ["broken"] = new McpServerOptions { Command = "sh", Args = ["-c", "exit 3"] } },
            MaxRestarts = 1,
            RestartBackoff = TimeSpan.FromMilliseconds(10),
            StartTimeout = TimeSpan.FromSeconds(10),
        });
        var connection = servers.Configured("broken")!;

        await Assert.ThrowsAsync<McpServerUnavailableException>(() => connection.ToolsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<McpServerUnavailableException>(() => connection.ToolsAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<McpServerUnavailableException>(() => connection.ToolsAsync(CancellationToken.None));

        Assert.Contains("is not restarted until", error.Message, StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AnIdleServer_IsStopped_AndStartsAgainWhenUsed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var servers = EverythingServer.Servers(new McpOptions
        {
            Servers = { ["everything"] = EverythingServer.Stdio() },
            IdleTimeout = TimeSpan.FromMinutes(4),
        }, time);
        var connection = servers.Configured("everything")!;
        await connection.ToolsAsync(CancellationToken.None);
        Assert.True(connection.IsRunning);

        time.Advance(TimeSpan.FromMinutes(5));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (connection.IsRunning)
        {
            Assert.True(DateTime.UtcNow < deadline, "The idle server was not stopped.");
            await Task.Delay(20);
        }

        var result = await connection.CallAsync("echo", new Dictionary<string, object?> { ["message"] = "back" }, NoProgress, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("Echo: back", ((TextContentBlock)result.Content[0]).Text);
    }
}
