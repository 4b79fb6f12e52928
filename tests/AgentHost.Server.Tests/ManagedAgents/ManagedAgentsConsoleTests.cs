using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using Microsoft.Playwright;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>The console lists Managed Agents sessions and shows one's event log (in a real Chromium, as ConsoleBrowserTests).</summary>
public sealed class ManagedAgentsConsoleTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Console_ListsAgentSessions_AndShowsASessionsEvents()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does).");
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello from the session."));
        using var http = server.Http();
        http.DefaultRequestHeaders.Add("anthropic-beta", "managed-agents-2026-04-01");
        async Task<JsonNode> PostAsync(string path, string body)
        {
            using var response = await http.PostAsync(path, JsonBody.Of(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonNode.Parse(text)!;
        }

        var agent = await PostAsync("agents", $$"""{"name":"Greeter","model":"{{CompatClients.Gpt}}"}""");
        var environment = await PostAsync("environments", """{"name":"sandbox"}""");
        var session = await PostAsync("sessions", $$"""
            {"agent":"{{agent["id"]}}","environment_id":"{{environment["id"]}}","title":"Console check",
             "initial_events":[{"type":"user.message","content":[{"type":"text","text":"Say hello."}]}]}
            """);
        var id = session["id"]!.GetValue<string>();
        await Eventually.TrueAsync(() => JsonNode.Parse(http.GetStringAsync($"sessions/{id}").Result)!["status"]!.GetValue<string>() == "idle",
            "the session's first turn to end");

        var origin = server.BaseUri.GetLeftPart(UriPartial.Authority);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{origin}/console/#/agent-sessions");
        await Assertions.Expect(page.Locator("table.agent-sessions")).ToContainTextAsync("Console check");
        await Assertions.Expect(page.Locator("table.agent-sessions")).ToContainTextAsync("Greeter");
        await page.Locator("table.agent-sessions a").First.ClickAsync();
        await Assertions.Expect(page.Locator(".session-events .msg.user")).ToHaveTextAsync("Say hello.");
        await Assertions.Expect(page.Locator(".session-events .msg.assistant")).ToHaveTextAsync("Hello from the session.");
        await Assertions.Expect(page.Locator(".session-events")).ToContainTextAsync("end_turn");
    }
}
