using AgentHost.Core.Domain;
using AgentHost.Core.Models;
using AgentHost.Providers.Tests.TestSupport;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Resilience;

public sealed class FallbackTests : UpstreamTests
{
    [Fact]
    public async Task GetResponse_WhenThePrimaryIsExhausted_AnswersFromTheFallbackModel()
    {
        UseRouter(o => o.FallbackModel = "gpt-4o");
        EnqueueOverloaded(3);
        Upstream.Enqueue(OpenAIWire.Completion(OpenAIWire.AssistantText("From the fallback."), "stop", OpenAIWire.Usage(5, 3)));

        var response = await Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question);

        Assert.Equal("From the fallback.", response.Text);
        Assert.Equal(
            ["/v1/messages", "/v1/messages", "/v1/messages", "/v1/chat/completions"],
            Upstream.Requests.Select(r => r.Path));
        Assert.Equal("gpt-4o", Upstream.Requests[^1].Model);
        var fallback = Assert.Single(Observer.Fallbacks);
        Assert.Equal(
            ("anthropic", "claude-sonnet-4-5", "openai", "gpt-4o", 529),
            (fallback.Provider, fallback.Model, fallback.FallbackProvider, fallback.FallbackModel, fallback.StatusCode));
    }

    [Fact]
    public async Task GetResponse_WhenTheFallbackFailsToo_TriesItOnceAndReportsBothFailures()
    {
        UseRouter(o => o.FallbackModel = "claude-haiku-4-5");
        for (var i = 0; i < 3; i++)
        {
            Upstream.Enqueue(OpenAIWire.Error(500, "server_error", "Upstream broke."));
        }

        Upstream.Enqueue(AnthropicWire.Error(429, "rate_limit_error", "Slow down.", ("retry-after", "1")));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("gpt-4o").GetResponseAsync(Question));

        Assert.Equal(RunErrorCodes.RateLimitExceeded, error.Code);
        Assert.Equal(
            "The openai model 'gpt-4o' failed after 3 attempts: HTTP 500 server_error: Upstream broke.;"
            + " its fallback, the anthropic model 'claude-haiku-4-5', failed too: HTTP 429 rate_limit_error: Slow down.",
            error.Message);
        Assert.Equal(4, Upstream.Requests.Count);
    }

    [Fact]
    public async Task GetResponse_OnNonTransientError_DoesNotFallBack()
    {
        UseRouter(o => o.FallbackModel = "gpt-4o");
        Upstream.Enqueue(AnthropicWire.Error(400, "invalid_request_error", "messages: at least one message is required"));

        await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question));

        Assert.Single(Upstream.Requests);
        Assert.Empty(Observer.Fallbacks);
    }

    [Fact]
    public async Task GetStreamingResponse_WhenThePrimaryIsExhaustedBeforeStreaming_StreamsFromTheFallback()
    {
        UseRouter(o => o.FallbackModel = "gpt-4o");
        EnqueueOverloaded(3);
        Upstream.Enqueue(OpenAIWire.Stream(OpenAIWire.Chunk(OpenAIWire.TextDelta("Fallback")), OpenAIWire.Chunk(new(), "stop")));

        var updates = await Router.GetClient("claude-sonnet-4-5").GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal("Fallback", updates.ToChatResponse().Text);
        Assert.Single(Observer.Fallbacks);
    }

    [Fact]
    public async Task GetResponse_PrefersThePerModelFallbackOverTheGlobalOne()
    {
        UseRouter(o =>
        {
            o.FallbackModel = "claude-haiku-4-5";
            o.Fallbacks["gpt-4o"] = "ollama:llama3.1";
            o.Servers["ollama"] = new CompatibleServerOptions { BaseUrl = Upstream.BaseUrl + "/ollama/v1" };
        });
        for (var i = 0; i < 3; i++)
        {
            Upstream.Enqueue(OpenAIWire.Error(503, "server_error", "Unavailable"));
        }

        Upstream.Enqueue(OpenAIWire.Completion(OpenAIWire.AssistantText("Local."), "stop", OpenAIWire.Usage(5, 1), model: "llama3.1"));

        var response = await Router.GetClient("gpt-4o").GetResponseAsync(Question);

        Assert.Equal("Local.", response.Text);
        Assert.Equal("/ollama/v1/chat/completions", Upstream.Requests[^1].Path);
        Assert.Equal("llama3.1", Upstream.Requests[^1].Model);
    }

    private void EnqueueOverloaded(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Upstream.Enqueue(AnthropicWire.Error(529, "overloaded_error", "Overloaded"));
        }
    }
}
