using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Tools;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Observability;

public sealed class TraceTests
{
    [Fact]
    public async Task MultiStepRun_TraceHasEveryCallInOrder_WithRetryFallbackTokensAndCosts()
    {
        // Claude answers from its own scripted upstream, so the gpt-4o fallback's script stays apart.
        await using var anthropic = await ScriptedUpstream.StartAsync();
        await using var server = await StartAsync(anthropic);
        var overloaded = new ScriptedTurn { Status = 529, ErrorType = "overloaded_error" };
        anthropic.Enqueue(
            overloaded,
            ScriptedTurn.Call(("toolu_square", "code_interpreter", """{"n":7}""")) with { PromptTokens = 100, CachedTokens = 50, CacheCreationTokens = 20, CompletionTokens = 30 },
            overloaded,
            overloaded,
            ScriptedTurn.Say("7 squared is 49 and Oslo is sunny.") with { PromptTokens = 300, CompletionTokens = 12 });
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_weather", "get_weather", """{"city":"Oslo"}""")) with { PromptTokens = 120, CachedTokens = 80, CompletionTokens = 10 });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("claude-sonnet-4-5", new AssistantCreationOptions
        {
            Tools = { new CodeInterpreterToolDefinition(), new FunctionToolDefinition("get_weather") },
        });

        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Square 7, then the weather in Oslo." } });
        run = await client.WaitAsync(run);
        Assert.True(run.Status == RunStatus.RequiresAction, run.LastError?.Message);
        run = await client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_weather", "sunny")]);
        run = await client.WaitAsync(run);
        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);

        using var http = server.Http();
        var trace = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}/trace"))!;
        var spans = trace["spans"]!.AsArray().Select(s => s!).ToList();
        Assert.Equal("thread.run.trace", trace["object"]!.GetValue<string>());
        Assert.Equal(["model_call", "tool_call", "model_call", "tool_call", "model_call"], spans.Select(s => s["kind"]!.GetValue<string>()));

        var first = spans[0];
        Assert.Equal("anthropic", first["provider"]!.GetValue<string>());
        var retry = Assert.Single(first["events"]!.AsArray());
        Assert.Equal("retry", retry!["type"]!.GetValue<string>());
        Assert.Equal(529, retry["status_code"]!.GetValue<int>());
        var sentMessages = first["request"]!["messages"]!.ToJsonString();
        Assert.Contains("Square 7, then the weather in Oslo.", sentMessages, StringComparison.Ordinal);
        Assert.Equal(["code_interpreter", "get_weather"], first["request"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("code_interpreter", first["response"]!["tool_calls"]![0]!["name"]!.GetValue<string>());
        AssertUsage(first, input: 170, cached: 50, cacheWrite: 20, output: 30);
        // 100 uncached × $3 + 50 cache reads × $0.30 + 20 cache writes × $3.75 + 30 out × $15, per million.
        AssertCost(first, 0.000840m);

        var square = spans[1];
        Assert.Equal("code_interpreter", square["tool_type"]!.GetValue<string>());
        Assert.Equal("""{"n":7}""", square["input"]!.GetValue<string>());
        Assert.Equal("49", square["output"]!.GetValue<string>());
        Assert.Equal("ok", square["status"]!.GetValue<string>());

        var second = spans[2];
        Assert.Equal(["retry", "fallback"], second["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("gpt-4o", second["events"]![1]!["fallback_model"]!.GetValue<string>());
        Assert.Equal("openai", second["provider"]!.GetValue<string>());
        Assert.Equal("gpt-4o", second["response_model"]!.GetValue<string>());
        Assert.Contains("49", second["request"]!["messages"]!.ToJsonString(), StringComparison.Ordinal);
        AssertUsage(second, input: 200, cached: 80, cacheWrite: 0, output: 10);
        // OpenAI's prompt_tokens include the cached ones: 120 × $2.50 + 80 × $1.25 + 10 × $10, per million.
        AssertCost(second, 0.000500m);

        var weather = spans[3];
        Assert.Equal("function:get_weather", weather["tool_type"]!.GetValue<string>());
        Assert.Equal("sunny", weather["output"]!.GetValue<string>());

        var third = spans[4];
        Assert.Empty(third["events"]!.AsArray());
        Assert.Contains("sunny", third["request"]!["messages"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("7 squared is 49 and Oslo is sunny.", third["response"]!["text"]!.GetValue<string>());
        AssertUsage(third, input: 300, cached: 0, cacheWrite: 0, output: 12);
        AssertCost(third, 0.001080m);

        Assert.Equal(0.00242m, trace["cost"]!["total_usd"]!.GetValue<decimal>());
        var runJson = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}"))!;
        Assert.Equal(0.00242m, runJson["cost"]!["total_usd"]!.GetValue<decimal>());
        Assert.Equal(3, runJson["cost"]!["model_calls"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeletingTheThread_DeletesItsTrace()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
        ThreadRun run = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));
        using var http = server.Http();
        var usageUrl = $"agenthost/usage?start_time=0&thread_id={run.ThreadId}";
        Assert.Single(JsonNode.Parse(await http.GetStringAsync(usageUrl))!["data"]!.AsArray());

        await client.DeleteThreadAsync(run.ThreadId);

        Assert.Empty(JsonNode.Parse(await http.GetStringAsync(usageUrl))!["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"threads/{run.ThreadId}/runs/{run.Id}/trace")).StatusCode);
    }

    internal static Task<AgentHostServer> StartAsync(ScriptedUpstream anthropic, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AgentHost:Providers:Anthropic:ApiKey"] = "sk-ant-scripted",
            ["AgentHost:Providers:Anthropic:BaseUrl"] = anthropic.RootUrl,
            ["AgentHost:Providers:Fallbacks:claude-sonnet-4-5"] = "gpt-4o",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return AgentHostServer.StartAsync(builder =>
        {
            builder.Services.RemoveAll<IToolSource>();
            builder.Services.AddSingleton<IToolSource, SquareTool>();
        }, all);
    }

    private static void AssertUsage(JsonNode span, int input, int cached, int cacheWrite, int output)
    {
        var usage = span["usage"]!;
        Assert.Equal(
            (input, cached, cacheWrite, output),
            (usage["input_tokens"]!.GetValue<int>(), usage["cached_input_tokens"]?.GetValue<int>() ?? 0, usage["cache_write_tokens"]?.GetValue<int>() ?? 0, usage["output_tokens"]!.GetValue<int>()));
    }

    private static void AssertCost(JsonNode span, decimal expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<decimal>(span["cost"]!["total_usd"]!.ToJsonString()));
}
