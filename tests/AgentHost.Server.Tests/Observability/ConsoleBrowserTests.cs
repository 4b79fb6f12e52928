using AgentHost.Server.Tests.Support;
using Microsoft.Playwright;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Observability;

/// <summary>
/// The web console in a real Chromium (Debian's <c>chromium</c>, installed by <c>.ci/run</c>), against a server
/// whose model is scripted. Set <c>AGENTHOST_SCREENSHOTS</c> to a folder to keep screenshots of the main pages.
/// </summary>
public sealed class ConsoleBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Playground_RunsAConversation_AndTheTraceShowsTheToolCallAndItsCost()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does).");
        await using var anthropic = await ScriptedUpstream.StartAsync();
        await using var server = await TraceTests.StartAsync(anthropic, new() { ["AgentHost:ApiKey"] = "sk-console" });
        // 1,000 in and 50 out, then 1,200 in and 20 out on gpt-4o: $0.0030 + $0.0032.
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_sq", "code_interpreter", """{"n":12}""")) with { PromptTokens = 1000, CompletionTokens = 50 },
            ScriptedTurn.Say("12 squared is 144.") with { PromptTokens = 1200, CompletionTokens = 20 });
        var client = server.Assistants("sk-console");
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "Squarer", Tools = { new CodeInterpreterToolDefinition() } });
        var origin = server.BaseUri.GetLeftPart(UriPartial.Authority);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        await page.GotoAsync($"{origin}/console/");
        await page.FillAsync("#api-key", "sk-console");
        await page.PressAsync("#api-key", "Tab");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync("Squarer");
        await ScreenshotAsync(page, "assistants");

        await page.GotoAsync($"{origin}/console/#/playground/{assistant.Id}");
        await Assertions.Expect(page.Locator("#assistant")).ToHaveValueAsync(assistant.Id);
        await page.FillAsync("#message", "Square 12");
        await page.ClickAsync("#send button");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("open trace", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator(".msg.assistant")).ToHaveTextAsync("12 squared is 144.");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("$0.006200");
        await ScreenshotAsync(page, "playground");

        await page.ClickAsync("#open-trace");
        var tool = page.Locator(".timeline li[data-kind=tool_call]");
        await Assertions.Expect(tool).ToContainTextAsync("code_interpreter");
        await Assertions.Expect(page.GetByTestId("run-cost")).ToHaveTextAsync("$0.006200");
        await Assertions.Expect(page.Locator(".timeline li[data-kind=model_call] .cost").First).ToHaveTextAsync("$0.003000");
        await tool.Locator("summary").ClickAsync();
        await Assertions.Expect(tool.Locator("pre").Last).ToContainTextAsync("144");
        await page.Locator(".timeline li[data-kind=model_call] summary").First.ClickAsync();
        await ScreenshotAsync(page, "run-trace");

        await page.GotoAsync($"{origin}/console/#/usage");
        await Assertions.Expect(page.Locator("main svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main table").First).ToContainTextAsync("gpt-4o");
        await Assertions.Expect(page.Locator("main table").Last).ToContainTextAsync("assistants");
        await ScreenshotAsync(page, "usage");

        // A gateway call: 1,000 in and 100 out on gpt-4o through /v1/messages, $0.0035.
        server.Upstream.Enqueue(ScriptedTurn.Say("pong") with { PromptTokens = 1000, CompletionTokens = 100 });
        using var http = server.Http();
        using var call = new HttpRequestMessage(HttpMethod.Post, "messages")
        {
            Content = JsonBody.Of("""{"model":"gpt-4o","max_tokens":100,"messages":[{"role":"user","content":"ping"}]}"""),
        };
        call.Headers.Add("x-api-key", "sk-console");
        call.Headers.Add("x-claude-code-session-id", "console-session");
        Assert.True((await http.SendAsync(call)).IsSuccessStatusCode);
        await page.GotoAsync($"{origin}/console/#/sessions");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync("console-session");
        await page.ClickAsync("text=console-session");
        await Assertions.Expect(page.Locator("table.session-calls")).ToContainTextAsync("gpt-4o");
        await Assertions.Expect(page.Locator("table.session-calls")).ToContainTextAsync("$0.003500");
        await ScreenshotAsync(page, "sessions");

        // A Messages thread in the same session: listed, and its turn shows what was sent and the reply.
        server.Upstream.Enqueue(ScriptedTurn.Say("threaded pong"));
        using var threaded = new HttpRequestMessage(HttpMethod.Post, "messages")
        {
            Content = JsonBody.Of("""{"model":"gpt-4o","max_tokens":100,"thread":{"type":"create"},"messages":[{"role":"user","content":"threaded ping"}]}"""),
        };
        threaded.Headers.Add("x-api-key", "sk-console");
        threaded.Headers.Add("x-claude-code-session-id", "console-session");
        Assert.True((await http.SendAsync(threaded)).IsSuccessStatusCode);
        await page.GotoAsync($"{origin}/console/#/message-threads");
        await Assertions.Expect(page.Locator("table.message-threads")).ToContainTextAsync("console-session");
        await page.Locator("table.message-threads a").First.ClickAsync();
        await Assertions.Expect(page.Locator(".thread-turns .msg.user")).ToHaveTextAsync("threaded ping");
        await Assertions.Expect(page.Locator(".thread-turns .msg.assistant")).ToHaveTextAsync("threaded pong");
        await ScreenshotAsync(page, "message-threads");
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("AGENTHOST_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}
