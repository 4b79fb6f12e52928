using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>
/// The Claude Agent SDK (<c>tests/clients/claude-agent-sdk</c>, pinned) run unchanged through AgentHost against a
/// scripted upstream, as CI runs it: as root, so with <c>acceptEdits</c> and allowed tools, and nonessential traffic off.
/// </summary>
public sealed class ClaudeAgentSdkTests
{
    [RequiresTheory("node:claude-agent-sdk")]
    [InlineData(null)]
    [InlineData("gpt-4o")]
    public async Task ReadsEditsAndAnswers_OnAClaudeModelOrAnOpenAIWireModelThroughAnAlias_AndTheSessionListsEveryCallWithItsCost(string? servedBy)
    {
        // The SDK asks for claude-sonnet-4-5; an alias can send it to an OpenAI-wire model instead.
        await using var server = await AgentHostServer.StartAsync(settings: servedBy is null ? null : new() { ["AgentHost:Providers:Aliases:claude-sonnet-4-5"] = servedBy });
        var work = Directory.CreateTempSubdirectory("agenthost-agent-sdk-").FullName;
        var file = Path.Combine(work, "greeting.txt");
        await File.WriteAllTextAsync(file, "Hello, world\n");
        var read = new JsonObject { ["file_path"] = file }.ToJsonString();
        var edit = new JsonObject { ["file_path"] = file, ["old_string"] = "world", ["new_string"] = "AgentHost" }.ToJsonString();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_read", "Read", read)) with { PromptTokens = 1000, CompletionTokens = 20 },
            ScriptedTurn.Call(("toolu_edit", "Edit", edit)) with { PromptTokens = 1100, CompletionTokens = 30 },
            ScriptedTurn.Say("The greeting now says Hello, AgentHost.") with { PromptTokens = 1200, CompletionTokens = 10 });

        var result = await RunAsync(server, work, "claude-sonnet-4-5", "Change 'world' to 'AgentHost' in greeting.txt.");

        Assert.Equal("success", result["subtype"]!.GetValue<string>());
        Assert.Equal("The greeting now says Hello, AgentHost.", result["result"]!.GetValue<string>());
        Assert.Equal("Hello, AgentHost\n", await File.ReadAllTextAsync(file));
        using var http = server.Http();
        var session = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{result["session_id"]!.GetValue<string>()}"))!;
        var calls = session["calls"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.True(c["cost"]!["total_usd"]!.GetValue<decimal>() > 0m));
        Assert.Equal(["Read", "Edit"], calls.Take(2).Select(c => c["tool_calls"]![0]!.GetValue<string>()));
        Assert.All(calls, c => Assert.StartsWith(servedBy ?? "claude-sonnet-4-5", c["served_model"]!.GetValue<string>(), StringComparison.Ordinal));
        Directory.Delete(work, recursive: true);
    }

    private static async Task<JsonNode> RunAsync(AgentHostServer server, string work, string model, string prompt)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestComponents.NodeProject("claude-agent-sdk"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "drive.mjs", server.BaseUri.ToString()[..^"/v1".Length], work, model, prompt })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0 && lines.Length > 0, $"The SDK exited {process.ExitCode}: {await errors}");
        return JsonNode.Parse(lines[^1])!;
    }
}
