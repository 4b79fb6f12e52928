using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// The OpenAI Agents SDK (<c>tests/clients/openai-agents</c>, pinned) run unchanged in its default Responses mode on a
/// Claude model (the scripted Anthropic upstream), with its trace export off: tools, handoffs and streaming.
/// </summary>
public sealed class OpenAIAgentsSdkTests
{
    private const string Claude = "claude-sonnet-4-5";

    [RequiresFact("node:openai-agents")]
    public async Task FunctionTool_TheSdkRunsItAndTheModelAnswersFromItsOutput()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_weather", "get_weather", """{"city":"Oslo"}""")), ScriptedTurn.Say("It is sunny and 21C in Oslo."));

        var result = await RunAsync(server, "tool");

        Assert.Equal("It is sunny and 21C in Oslo.", result["final"]!.GetValue<string>());
        Assert.Equal("sunny and 21C in Oslo", result["tool_outputs"]![0]!.GetValue<string>());
        var second = server.Upstream.Requests.Last().ToJsonString();
        Assert.Contains("sunny and 21C in Oslo", second, StringComparison.Ordinal);
        Assert.Contains("toolu_weather", second, StringComparison.Ordinal);
        Assert.All(server.Upstream.Paths, p => Assert.Equal("/v1/messages", p));
    }

    [RequiresFact("node:openai-agents")]
    public async Task Handoff_TheSecondAgentAnswers()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_handoff", "transfer_to_Spanish_agent", "{}")), ScriptedTurn.Say("¡Hola! Estoy bien, gracias."));

        var result = await RunAsync(server, "handoff");

        Assert.Equal("¡Hola! Estoy bien, gracias.", result["final"]!.GetValue<string>());
        Assert.Equal("Spanish agent", result["last_agent"]!.GetValue<string>());
        var requests = server.Upstream.Requests.ToList();
        Assert.Contains("transfer_to_Spanish_agent", requests[0]["tools"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Answer only in Spanish.", requests[1]["system"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [RequiresFact("node:openai-agents")]
    public async Task StreamedRun_TextDeltasJoinToTheFinalOutput()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_weather", "get_weather", """{"city":"Oslo"}""")), ScriptedTurn.Say("It is sunny and 21C in Oslo."));

        var result = await RunAsync(server, "stream");

        Assert.Equal("It is sunny and 21C in Oslo.", result["final"]!.GetValue<string>());
        Assert.Equal("It is sunny and 21C in Oslo.", result["streamed"]!.GetValue<string>());
        Assert.True(result["deltas"]!.GetValue<int>() > 1);
    }

    [RequiresFact("node:openai-agents")]
    public async Task ReasoningWithStoreFalse_TheSdkHandsTheThinkingBack_AndClaudeGetsItSignedInTheToolLoop()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_weather", "get_weather", """{"city":"Oslo"}""")) with { Thinking = "I need the weather tool." },
            ScriptedTurn.Say("It is sunny and 21C in Oslo."));

        var result = await RunAsync(server, "reasoning");

        Assert.Equal("It is sunny and 21C in Oslo.", result["final"]!.GetValue<string>());
        Assert.Equal("I need the weather tool.", result["reasoning"]![0]!.GetValue<string>());
        var requests = server.Upstream.Requests.ToList();
        Assert.Equal("medium", (string?)requests[0]["output_config"]?["effort"]);
        var assistant = requests[1]["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray();
        Assert.Equal(["thinking", "tool_use"], assistant.Select(b => (string?)b!["type"]));
        Assert.Equal(AnthropicTurns.Signature, (string?)assistant[0]!["signature"]);
    }

    private static async Task<JsonNode> RunAsync(AgentHostServer server, string scenario)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestComponents.NodeProject("openai-agents"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "drive.mjs", server.BaseUri.ToString(), Claude, scenario })
        {
            start.ArgumentList.Add(argument);
        }

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
