using AgentHost.Providers.Tests.TestSupport;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Routing;

/// <summary>claude-* models through the real Anthropic SDK against a scripted Messages API.</summary>
public sealed class AnthropicRoundTripTests : UpstreamTests
{
    private const string Model = "claude-sonnet-4-5";

    [Fact]
    public async Task GetResponse_ReturnsTheText_AndSendsModelKeyAndDefaultMaxTokens()
    {
        Upstream.Enqueue(AnthropicWire.Message("end_turn", AnthropicWire.Usage(12, 4), AnthropicWire.Text("Sunny.")));

        var response = await Router.GetClient(Model).GetResponseAsync(Question);

        Assert.Equal("Sunny.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var request = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(Model, request.Model);
        Assert.Equal(4096, request.Body["max_tokens"]!.GetValue<int>());
        // SDK 13 sends API keys as a bearer token.
        Assert.Equal("Bearer sk-ant-test", request.Header("Authorization"));
    }

    [Fact]
    public async Task GetResponse_SendsMaxTokensToolsAndToolChoice()
    {
        Upstream.Enqueue(AnthropicWire.Message("end_turn", AnthropicWire.Usage(1, 1), AnthropicWire.Text("ok")));
        var options = new ChatOptions
        {
            MaxOutputTokens = 256,
            Tools = [WeatherTool.Function],
            ToolMode = ChatToolMode.RequireAny,
        };

        await Router.GetClient(Model).GetResponseAsync(Question, options);

        var body = Assert.Single(Upstream.Requests).Body;
        Assert.Equal(256, body["max_tokens"]!.GetValue<int>());
        var tool = Assert.Single(body["tools"]!.AsArray())!;
        Assert.Equal("get_weather", tool["name"]!.GetValue<string>());
        Assert.Equal("string", tool["input_schema"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("any", body["tool_choice"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetResponse_WithParallelToolUse_ReturnsEveryFunctionCall()
    {
        Upstream.Enqueue(AnthropicWire.Message(
            "tool_use",
            AnthropicWire.Usage(30, 40),
            AnthropicWire.Text("Checking both."),
            AnthropicWire.ToolUse("toolu_01", "get_weather", new() { ["city"] = "Paris" }),
            AnthropicWire.ToolUse("toolu_02", "get_weather", new() { ["city"] = "Rome" })));

        var response = await Router.GetClient(Model).GetResponseAsync(Question, new() { Tools = [WeatherTool.Function] });

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["toolu_01", "toolu_02"], calls.Select(c => c.CallId));
        Assert.All(calls, c => Assert.Equal("get_weather", c.Name));
        Assert.Equal(["Paris", "Rome"], calls.Select(c => c.Arguments!["city"]?.ToString()));
    }

    [Fact]
    public async Task GetResponse_MapsUsage_CountingCacheTokensAsInput()
    {
        Upstream.Enqueue(AnthropicWire.Message(
            "end_turn",
            AnthropicWire.Usage(input: 10, output: 5, cacheCreation: 3, cacheRead: 7),
            AnthropicWire.Text("ok")));

        var usage = (await Router.GetClient(Model).GetResponseAsync(Question)).Usage;

        Assert.NotNull(usage);
        Assert.Equal(20, usage.InputTokenCount);
        Assert.Equal(7, usage.CachedInputTokenCount);
        Assert.Equal(5, usage.OutputTokenCount);
        Assert.Equal(25, usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_YieldsTextDeltasFinishReasonAndUsage()
    {
        Upstream.Enqueue(AnthropicWire.Stream(
            "end_turn",
            AnthropicWire.Usage(25, 1, cacheRead: 5),
            outputTokens: 15,
            AnthropicWire.TextBlock("Hello", ", ", "world")));

        var updates = await Router.GetClient(Model).GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal(["Hello", ", ", "world"], updates.Select(u => u.Text).Where(t => t.Length > 0));
        var response = updates.ToChatResponse();
        Assert.Equal("Hello, world", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(30, response.Usage?.InputTokenCount);
        Assert.Equal(15, response.Usage?.OutputTokenCount);
        Assert.True(Assert.Single(Upstream.Requests).Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetStreamingResponse_AssemblesToolUseFromInputJsonDeltas()
    {
        Upstream.Enqueue(AnthropicWire.Stream(
            "tool_use",
            AnthropicWire.Usage(50, 1),
            outputTokens: 30,
            AnthropicWire.TextBlock("Let me check."),
            AnthropicWire.ToolUseBlock("toolu_01", "get_weather", "", "{\"city\": \"Pa", "ris\"}")));

        var updates = await Router.GetClient(Model).GetStreamingResponseAsync(Question, new() { Tools = [WeatherTool.Function] }).ToListAsync();

        var response = updates.ToChatResponse();
        Assert.Equal("Let me check.", response.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("toolu_01", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
    }
}
