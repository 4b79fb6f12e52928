using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>
/// The Anthropic TypeScript SDK's own agent loop (<c>client.beta.messages.toolRunner</c>, <c>tests/clients/anthropic-sdk</c>,
/// pinned) run unchanged through AgentHost: it holds the conversation in a Messages thread, so after the first turn
/// each request sends only the new messages, on a Claude model and on an OpenAI-wire model alike.
/// </summary>
public sealed class AnthropicSdkToolRunnerTests
{
    [RequiresTheory("node:anthropic-sdk")]
    [InlineData(CompatClients.Claude, false)]
    [InlineData(CompatClients.Gpt, false)]
    [InlineData(CompatClients.Gpt, true)]
    public async Task ToolRunner_CompletesAMultiTurnToolLoopOnAThread_SendingOnlyNewTurnsAfterTheFirst(string model, bool stream)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_a", "square", """{"n":3}""")),
            ScriptedTurn.Call(("toolu_b", "square", """{"n":9}""")),
            ScriptedTurn.Say("3 squared, squared again, is 81."));

        var result = await RunAsync(server, model, stream);

        Assert.Equal("3 squared, squared again, is 81.", result["text"]!.GetValue<string>());
        Assert.Equal("end_turn", result["stop_reason"]!.GetValue<string>());
        Assert.Equal([3, 9], result["inputs"]!.AsArray().Select(n => n!.GetValue<int>()));
        var ids = result["ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
        Assert.Equal(3, ids.Count);

        // What the SDK sent, as AgentHost's message threads recorded it: the whole conversation once, then only the
        // tool result each turn, each continuing from the reply before.
        using var http = server.Http();
        var thread = JsonNode.Parse(await http.GetStringAsync($"agenthost/message_threads/{ids[^1]}"))!;
        var turns = thread["turns"]!.AsArray().Select(t => t!).ToList();
        Assert.Equal(ids, turns.Select(t => t["id"]!.GetValue<string>()));
        Assert.Equal([null, ids[0], ids[1]], turns.Select(t => t["previous_message_id"]?.GetValue<string>()));
        Assert.Equal("What is 3 squared, squared again?", turns[0]["input"]![0]!["content"]!.GetValue<string>());
        Assert.All(turns.Skip(1), t =>
        {
            var input = t["input"]!.AsArray().Single()!;
            Assert.Equal("user", input["role"]!.GetValue<string>());
            Assert.Equal("tool_result", input["content"]![0]!["type"]!.GetValue<string>());
        });

        // The upstream still got the whole conversation each turn (AgentHost holds the thread, never forwards it).
        var sent = server.Upstream.Requests.ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, r => Assert.Null(r["thread"]));
        var messageCounts = sent.Select(r => r["messages"]!.AsArray().Count).ToList();
        Assert.Equal(model == CompatClients.Claude ? [1, 3, 5] : [2, 4, 6], messageCounts);
    }

    private static async Task<JsonNode> RunAsync(AgentHostServer server, string model, bool stream)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestComponents.NodeProject("anthropic-sdk"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "tool-runner.mjs", server.BaseUri.ToString()[..^"/v1".Length], model, stream ? "true" : "false" })
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
