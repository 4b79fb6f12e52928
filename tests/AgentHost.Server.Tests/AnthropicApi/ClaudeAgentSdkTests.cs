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
    [InlineData("claude")]
    [InlineData("openai")]
    [InlineData("compatible")]
    public async Task ReadsEditsAndAnswers_OnAClaudeModelAnOpenAIWireModelOrACompatibleServerThroughAnAlias_AndTheSessionListsEveryCallWithItsCost(string upstream)
    {
        // The SDK asks for claude-sonnet-4-5; an alias can send it to an OpenAI-wire model or a model of an
        // OpenAI-compatible server (here the scripted upstream again, configured as a server named "local").
        var (servedBy, settings) = upstream switch
        {
            "openai" => ("gpt-4o", new Dictionary<string, string?> { ["AgentHost:Providers:Aliases:claude-sonnet-4-5"] = "gpt-4o" }),
            "compatible" => ("llama3.1", new Dictionary<string, string?>
            {
                ["AgentHost:Providers:Aliases:claude-sonnet-4-5"] = "llama3.1",
                ["AgentHost:Providers:Servers:local:BaseUrl"] = AgentHostServer.UpstreamBaseUrl,
                ["AgentHost:Providers:Servers:local:Models:0"] = "llama3.1",
                ["AgentHost:Observability:Prices:llama3.1:Input"] = "0.1",
                ["AgentHost:Observability:Prices:llama3.1:Output"] = "0.2",
            }),
            _ => ("claude-sonnet-4-5", null),
        };
        await using var server = await AgentHostServer.StartAsync(settings: settings);
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
        Assert.All(calls, c => Assert.StartsWith(servedBy, c["served_model"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(upstream == "claude" ? "/v1/messages" : "/v1/chat/completions", server.Upstream.Paths.Distinct().Single());
        Directory.Delete(work, recursive: true);
    }

    [RequiresFact("node:claude-agent-sdk")]
    public async Task ASessionBudget_LetsTheFirstTaskFinish_ThenStopsASecondTaskInTheSameSession_WithAnErrorTheSdkReports()
    {
        // Claude Code asks for max_tokens 32000 on every call: a session budget lets a call start while what is
        // spent plus its prompt is within the budget. The first task's answer (1,000 in, 40,000 out on
        // claude-sonnet-4-5: $0.603) passes the $0.50, which is recorded; the resumed session's next call is stopped.
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Observability:Budgets:Session:MaxUsd"] = "0.50" });
        var work = Directory.CreateTempSubdirectory("agenthost-agent-sdk-").FullName;
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello there.") with { PromptTokens = 1000, CompletionTokens = 40_000 });

        var first = await RunAsync(server, work, "claude-sonnet-4-5", "Say hello.");
        var second = await RunAsync(server, work, "claude-sonnet-4-5", "Say hello again.", resume: first["session_id"]!.GetValue<string>());

        Assert.Equal("success", first["subtype"]!.GetValue<string>());
        Assert.Equal("Hello there.", first["result"]!.GetValue<string>());
        Assert.True(second["is_error"]?.GetValue<bool>() == true || second["thrown"] is not null, second.ToJsonString());
        Assert.Contains("session budget exceeded", second.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(server.Upstream.Requests);
        using var http = server.Http();
        var sessionId = first["session_id"]!.GetValue<string>();
        var trace = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{sessionId}/trace"))!;
        Assert.Contains(trace["spans"]!.AsArray(), s => s!["events"]?.AsArray().Any(e => e!["type"]!.GetValue<string>() == "budget_overshoot") == true);
        Assert.Contains(trace["spans"]!.AsArray(), s => s!["kind"]!.GetValue<string>() == "budget_stop");
        Directory.Delete(work, recursive: true);
    }

    [RequiresFact("node:claude-agent-sdk")]
    public async Task ARequestBodyCapturedFromTheSdk_IsAnsweredOnEachProvider_AndTheFieldsThatCannotBeCarriedAreInTheTrace()
    {
        await using var server = await AgentHostServer.StartAsync();
        var work = Directory.CreateTempSubdirectory("agenthost-agent-sdk-").FullName;

        // Captured from the SDK itself: pointed straight at the scripted upstream, which records the body as sent.
        server.Upstream.Enqueue(ScriptedTurn.Say("Captured."));
        var captureRun = await RunAsync(server, work, "claude-sonnet-4-5", "Say hello.", baseUrl: server.Upstream.RootUrl);
        Assert.Equal("success", captureRun["subtype"]!.GetValue<string>());
        var captured = server.Upstream.Requests.Single(r => r["tools"] is JsonArray { Count: > 0 });
        var fieldsNotCarried = captured.Select(p => p.Key).Except(CarriedFields, StringComparer.Ordinal).ToList();
        Assert.Contains("context_management", fieldsNotCarried);

        using var http = server.Http();
        foreach (var model in new[] { CompatClients.Claude, CompatClients.Gpt })
        {
            var body = captured.DeepClone().AsObject();
            body["model"] = model;
            var session = $"replay-{model}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "messages?beta=true") { Content = JsonBody.Of(body.ToJsonString()) };
            request.Headers.Add("x-agenthost-session", session);
            request.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27");
            var before = server.Upstream.Requests.Count;

            var response = await http.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{model}: {text}");
            Assert.Contains(body["stream"]?.GetValue<bool>() == true ? "message_stop" : "\"type\":\"message\"", text, StringComparison.Ordinal);
            var sent = server.Upstream.Requests.Skip(before).Single();
            Assert.All(fieldsNotCarried, f => Assert.Null(sent[f]));
            var trace = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{session}/trace"))!;
            var dropped = trace["spans"]![0]!["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "dropped_field")
                .Select(e => e!["reason"]!.GetValue<string>().Split(':')[0]).ToList();
            Assert.All(fieldsNotCarried, f => Assert.Contains(f, dropped));
        }

        Directory.Delete(work, recursive: true);
    }

    /// <summary>The Messages request fields AgentHost carries to the serving model (translated where needed).</summary>
    private static readonly string[] CarriedFields =
    [
        "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k", "tools",
        "tool_choice", "thinking", "output_config", "output_format", "thread",
    ];

    private static async Task<JsonNode> RunAsync(AgentHostServer server, string work, string model, string prompt, string? resume = null, string? baseUrl = null)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestComponents.NodeProject("claude-agent-sdk"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "drive.mjs", baseUrl ?? server.BaseUri.ToString()[..^"/v1".Length], work, model, prompt, resume ?? "" })
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
