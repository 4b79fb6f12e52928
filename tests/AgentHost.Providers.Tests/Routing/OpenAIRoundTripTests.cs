using AgentHost.Providers.Tests.TestSupport;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Routing;

/// <summary>gpt-* models through the real OpenAI SDK against a scripted Chat Completions API.</summary>
public sealed class OpenAIRoundTripTests : UpstreamTests
{
    private const string Model = "gpt-4o";

    [Fact]
    public async Task GetResponse_ReturnsTheText_AndSendsModelKeyTemperatureAndMaxTokens()
    {
        Upstream.Enqueue(OpenAIWire.Completion(OpenAIWire.AssistantText("Sunny."), "stop", OpenAIWire.Usage(12, 4)));

        var response = await Router.GetClient(Model).GetResponseAsync(Question, new() { Temperature = 0.2f, MaxOutputTokens = 256 });

        Assert.Equal("Sunny.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var request = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal(Model, request.Model);
        Assert.Equal("Bearer sk-openai-test", request.Header("Authorization"));
        Assert.Equal(0.2, request.Body["temperature"]!.GetValue<double>(), 5);
        Assert.Equal(256, request.Body["max_completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetResponse_WithParallelToolCalls_ReturnsEveryFunctionCall_AndSendsToolsAndToolChoice()
    {
        Upstream.Enqueue(OpenAIWire.Completion(
            OpenAIWire.AssistantToolCalls(
                ("call_1", "get_weather", """{"city":"Paris"}"""),
                ("call_2", "get_weather", """{"city":"Rome"}""")),
            "tool_calls",
            OpenAIWire.Usage(30, 40)));
        var options = new ChatOptions { Tools = [WeatherTool.Function], ToolMode = ChatToolMode.RequireAny };

        var response = await Router.GetClient(Model).GetResponseAsync(Question, options);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal(["Paris", "Rome"], calls.Select(c => c.Arguments!["city"]?.ToString()));
        var body = Assert.Single(Upstream.Requests).Body;
        Assert.Equal("get_weather", Assert.Single(body["tools"]!.AsArray())!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("required", body["tool_choice"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetResponse_MapsUsageIncludingCachedAndReasoningTokens()
    {
        Upstream.Enqueue(OpenAIWire.Completion(OpenAIWire.AssistantText("ok"), "stop", OpenAIWire.Usage(10, 5, cached: 4, reasoning: 2)));

        var usage = (await Router.GetClient(Model).GetResponseAsync(Question)).Usage;

        Assert.NotNull(usage);
        Assert.Equal(10, usage.InputTokenCount);
        Assert.Equal(5, usage.OutputTokenCount);
        Assert.Equal(15, usage.TotalTokenCount);
        Assert.Equal(4, usage.CachedInputTokenCount);
        Assert.Equal(2, usage.ReasoningTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_YieldsTextDeltasFinishReasonAndTheUsageChunk()
    {
        Upstream.Enqueue(OpenAIWire.Stream(
            OpenAIWire.Chunk(OpenAIWire.RoleDelta()),
            OpenAIWire.Chunk(OpenAIWire.TextDelta("Hello")),
            OpenAIWire.Chunk(OpenAIWire.TextDelta(", world")),
            OpenAIWire.Chunk(new(), "stop"),
            OpenAIWire.UsageChunk(OpenAIWire.Usage(9, 3))));

        var updates = await Router.GetClient(Model).GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal(["Hello", ", world"], updates.Select(u => u.Text).Where(t => t.Length > 0));
        var response = updates.ToChatResponse();
        Assert.Equal("Hello, world", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(9, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.True(Assert.Single(Upstream.Requests).Body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetStreamingResponse_AssemblesParallelToolCallsFromDeltas()
    {
        Upstream.Enqueue(OpenAIWire.Stream(
            OpenAIWire.Chunk(OpenAIWire.RoleDelta()),
            OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(0, "call_1", "get_weather", "")),
            OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(0, null, null, "{\"city\":")),
            OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(0, null, null, "\"Paris\"}")),
            OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(1, "call_2", "get_weather", "")),
            OpenAIWire.Chunk(OpenAIWire.ToolCallDelta(1, null, null, "{\"city\":\"Rome\"}")),
            OpenAIWire.Chunk(new(), "tool_calls"),
            OpenAIWire.UsageChunk(OpenAIWire.Usage(20, 10))));

        var updates = await Router.GetClient(Model).GetStreamingResponseAsync(Question, new() { Tools = [WeatherTool.Function] }).ToListAsync();

        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal(["Paris", "Rome"], calls.Select(c => c.Arguments!["city"]?.ToString()));
    }
}
