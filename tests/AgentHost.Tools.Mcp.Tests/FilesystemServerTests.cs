using AgentHost.Testing.Requirements;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentHost.Tools.Mcp.Tests;

public sealed class FilesystemServerTests
{
    [RequiresFact("node:mcp-servers")]
    public async Task TheFilesystemServer_ReadsInsideItsFolder_AndRefusesOutside()
    {
        var shared = EverythingServer.WorkRoot();
        await File.WriteAllTextAsync(Path.Combine(shared, "note.txt"), "tides follow the moon");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(shared, "note.txt"), (UnixFileMode)0b110_100_100);
        }

        var script = Path.Combine(TestComponents.NodeProjectReadableByOthers("mcp-servers"), "node_modules", "@modelcontextprotocol", "server-filesystem", "dist", "index.js");
        await using var servers = EverythingServer.Servers(new McpOptions
        {
            Servers = { ["files"] = new McpServerOptions { Command = "node", Args = [script, shared] } },
        });
        var connection = servers.Configured("files")!;
        var progress = new Progress<ProgressNotificationValue>();

        var tools = await connection.ToolsAsync(CancellationToken.None);
        var read = await connection.CallAsync("read_text_file", new Dictionary<string, object?> { ["path"] = Path.Combine(shared, "note.txt") }, progress,
            TimeSpan.FromSeconds(30), CancellationToken.None);
        var outside = await connection.CallAsync("read_text_file", new Dictionary<string, object?> { ["path"] = "/etc/hostname" }, progress,
            TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Contains(tools, t => t.Name == "list_directory");
        Assert.Equal("tides follow the moon", ((TextContentBlock)read.Content[0]).Text);
        Assert.True(outside.IsError);
    }
}
