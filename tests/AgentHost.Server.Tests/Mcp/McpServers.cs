using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>AgentHost with the reference server <c>server-everything</c> configured as <c>everything</c> (stdio), and helpers to read MCP steps.</summary>
internal static class McpServers
{
    public static string EverythingScript => Path.Combine(TestComponents.NodeProjectReadableByOthers("mcp-servers"), "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

    public static Task<AgentHostServer> StartAsync(Dictionary<string, string?>? more = null)
    {
        var workRoot = Directory.CreateTempSubdirectory("agenthost-mcp-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(workRoot, (UnixFileMode)0b111_101_101);
        }

        var settings = new Dictionary<string, string?>
        {
            ["AgentHost:Mcp:WorkRoot"] = workRoot,
            ["AgentHost:Mcp:Servers:everything:Command"] = "sh",
            ["AgentHost:Mcp:Servers:everything:Args:0"] = "-c",
            ["AgentHost:Mcp:Servers:everything:Args:1"] = $"echo $$ > \"$HOME/pid\"; exec node '{EverythingScript}' stdio",
            ["AgentHost:Mcp:Servers:everything:Env:MCP_TEST_SETTING"] = "from-config",
            ["AgentHost:Mcp:RestartBackoff"] = "00:00:00.050",
            ["AgentHost:Mcp:SamplingModel"] = "gpt-4o",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return AgentHostServer.StartAsync(settings: settings);
    }

    /// <summary>Creates an assistant with one tool given as JSON; the SDK's protocol method sends the AgentHost extension as is.</summary>
    public static async Task<string> CreateAssistantAsync(AssistantClient client, string toolJson)
    {
        var body = $$"""{"model":"gpt-4o","tools":[{{toolJson}}]}""";
        var result = await client.CreateAssistantAsync(BinaryContent.Create(BinaryData.FromString(body)), new RequestOptions());
        return JsonNode.Parse(result.GetRawResponse().Content.ToString())!["id"]!.GetValue<string>();
    }

    /// <summary>The run's <c>mcp</c> step calls by call id, as the API returns them.</summary>
    public static async Task<Dictionary<string, JsonNode>> McpCallsAsync(AgentHostServer server, ThreadRun run)
    {
        using var http = server.Http();
        var steps = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}/steps?order=asc"))!["data"]!.AsArray();
        return steps
            .SelectMany(s => s!["step_details"]!["tool_calls"]?.AsArray() ?? [])
            .Where(c => c!["type"]!.GetValue<string>() == "mcp")
            .ToDictionary(c => c!["id"]!.GetValue<string>(), c => c!["mcp"]!);
    }

    public static int Pid(AgentHostServer server)
    {
        var workRoot = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentHost.Tools.Mcp.McpOptions>>().Value.WorkRoot!;
        return int.Parse(File.ReadAllText(Path.Combine(workRoot, "everything", "pid")).Trim(), CultureInfo.InvariantCulture);
    }

    public static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met in time.");
            await Task.Delay(20);
        }
    }
}
