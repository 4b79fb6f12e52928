using AgentHost.Core.Models;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Tools.Mcp.Tests;

/// <summary>The reference server <c>@modelcontextprotocol/server-everything</c> from <c>tests/clients/mcp-servers</c>, configured as AgentHost configures servers.</summary>
internal static class EverythingServer
{
    public static string Script => Path.Combine(TestComponents.NodeProjectReadableByOthers("mcp-servers"), "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

    /// <summary>A stdio server that writes its pid to <c>$HOME/pid</c> first, so a test can kill it.</summary>
    public static McpServerOptions Stdio(Dictionary<string, string>? env = null) => new()
    {
        Command = "sh",
        Args = ["-c", $"echo $$ > \"$HOME/pid\"; exec node '{Script}' stdio"],
        Env = env ?? [],
    };

    public static McpServers Servers(McpOptions options, TimeProvider? time = null)
    {
        options.WorkRoot ??= WorkRoot();
        var wrapped = Options.Create(options);
        return new McpServers(wrapped, new McpClientSetup(wrapped, new NoModels(), NullLogger<McpClientSetup>.Instance), time ?? TimeProvider.System, NullLoggerFactory.Instance);
    }

    /// <summary>A folder every uid can enter, as the servers' homes are made under it (and given to their uid when the tests run as root).</summary>
    public static string WorkRoot()
    {
        var root = Directory.CreateTempSubdirectory("agenthost-mcp-test-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        }
        return root;
    }

    public static int Pid(McpServers servers, string label) =>
        int.Parse(File.ReadAllText(Path.Combine(servers.Options.WorkRoot!, label, "pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sampling is not configured in these tests, so no model is ever asked for.</summary>
    private sealed class NoModels : IModelRouter
    {
        public IReadOnlyList<string> KnownModels => [];

        public IChatClient GetClient(string model) => throw new ModelUnavailableException("No models in this test.");
    }
}
