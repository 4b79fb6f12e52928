using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentHost.Testing.Requirements;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentHost.Tools.Mcp.Tests;

public sealed class StreamableHttpTests
{
    [RequiresFact("node:mcp-servers")]
    public async Task AStreamableHttpServer_ListsToolsAndAnswersCalls()
    {
        var port = FreePort();
        using var node = Process.Start(new ProcessStartInfo("node", [EverythingServer.Script, "streamableHttp"])
        {
            Environment = { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            await WaitForPortAsync(port);
            await using var servers = EverythingServer.Servers(new McpOptions
            {
                Servers =
                {
                    ["remote"] = new McpServerOptions { Url = $"http://127.0.0.1:{port}/mcp", Headers = { ["X-Test"] = "1" } },
                },
            });
            var connection = servers.Configured("remote")!;

            var tools = await connection.ToolsAsync(CancellationToken.None);
            var result = await connection.CallAsync("get-sum", new Dictionary<string, object?> { ["a"] = 40, ["b"] = 2 }, new Progress<ProgressNotificationValue>(),
                TimeSpan.FromSeconds(30), CancellationToken.None);

            Assert.Contains(tools, t => t.Name == "echo");
            Assert.Contains("42", ((TextContentBlock)result.Content[0]).Text, StringComparison.Ordinal);
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
