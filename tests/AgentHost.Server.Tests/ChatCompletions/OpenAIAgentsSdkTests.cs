using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.ChatCompletions;

/// <summary>
/// The OpenAI Agents SDK (<c>tests/clients/openai-agents</c>, pinned) in Chat Completions mode, unchanged, running a
/// tool-calling agent through AgentHost's <c>/v1/chat/completions</c> on a Claude model.
/// </summary>
public sealed class OpenAIAgentsSdkTests
{
    [RequiresTheory("node:openai-agents")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletionsMode_RunsAToolCallingAgent_OnAClaudeModel(bool stream)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_sq", "square", """{"n":7}""")), ScriptedTurn.Say("7 squared is 49."));

        var result = await RunAsync(server, CompatClients.Claude, stream);

        Assert.Equal("7 squared is 49.", result["final_output"]!.GetValue<string>());
        Assert.Equal([7], result["inputs"]!.AsArray().Select(n => n!.GetValue<int>()));

        // Both calls reached Claude on the Messages wire; the second carried the tool's result back.
        Assert.Equal(["/v1/messages", "/v1/messages"], server.Upstream.Paths);
        var second = server.Upstream.Requests.Last();
        var result2 = second["messages"]!.AsArray().Last()!["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_result")!;
        Assert.Equal("toolu_sq", result2["tool_use_id"]!.GetValue<string>());
        Assert.Contains("49", result2.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("square", second["tools"]![0]!["name"]!.GetValue<string>());
    }

    private static async Task<JsonNode> RunAsync(AgentHostServer server, string model, bool stream)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestComponents.NodeProject("openai-agents"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("chat-completions-agent.mjs");
        start.ArgumentList.Add(model);
        start.ArgumentList.Add(stream ? "true" : "false");
        start.Environment["OPENAI_BASE_URL"] = server.BaseUri.ToString();
        start.Environment["OPENAI_API_KEY"] = "sk-agenthost-test";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0 && lines.Length > 0, $"The SDK exited {process.ExitCode}: {await errors}");
        return JsonNode.Parse(lines[^1])!;
    }
}
