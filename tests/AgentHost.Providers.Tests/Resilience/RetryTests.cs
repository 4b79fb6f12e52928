using System.Net;
using System.Net.Sockets;
using AgentHost.Core.Domain;
using AgentHost.Core.Models;
using AgentHost.Providers.Tests.TestSupport;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Resilience;

/// <summary>
/// Retries against the scripted upstream. Delays are asserted through the observer: the test clock runs
/// <see cref="TestRouter.Speedup"/> times fast, so nothing here waits for real.
/// </summary>
public sealed class RetryTests : UpstreamTests
{
    [Fact]
    public async Task GetResponse_On429WithRetryAfter_WaitsTheRequestedDelayAndSucceeds()
    {
        Upstream.Enqueue(
            AnthropicWire.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ("retry-after", "2")),
            AnthropicWire.Message("end_turn", AnthropicWire.Usage(5, 2), AnthropicWire.Text("ok")));

        var response = await Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, Upstream.Requests.Count);
        var retry = Assert.Single(Observer.Retries);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.Delay);
        Assert.Equal((1, 429, "anthropic", "claude-sonnet-4-5"), (retry.Attempt, retry.StatusCode, retry.Provider, retry.Model));
        Assert.Contains("rate_limit_error", retry.Reason);
    }

    [Fact]
    public async Task GetResponse_On429WithRetryAfterMs_WaitsTheRequestedDelayAndSucceeds()
    {
        Upstream.Enqueue(
            OpenAIWire.Error(429, "requests", "Rate limit reached for gpt-4o", "rate_limit_exceeded", ("retry-after-ms", "1500"), ("retry-after", "2")),
            OpenAIWire.Completion(OpenAIWire.AssistantText("ok"), "stop", OpenAIWire.Usage(5, 2)));

        var response = await Router.GetClient("gpt-4o").GetResponseAsync(Question);

        Assert.Equal("ok", response.Text);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Assert.Single(Observer.Retries).Delay);
    }

    [Fact]
    public async Task GetResponse_On529Overloaded_RetriesWithJitteredBackoffAndSucceeds()
    {
        Upstream.Enqueue(
            AnthropicWire.Error(529, "overloaded_error", "Overloaded"),
            AnthropicWire.Error(529, "overloaded_error", "Overloaded"),
            AnthropicWire.Message("end_turn", AnthropicWire.Usage(5, 2), AnthropicWire.Text("ok")));

        var response = await Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question);

        Assert.Equal("ok", response.Text);
        Assert.Equal(3, Upstream.Requests.Count);
        Assert.Collection(
            Observer.Retries,
            first => Assert.InRange(first.Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(100)),
            second => Assert.InRange(second.Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        Assert.All(Observer.Retries, r => Assert.Equal(529, r.StatusCode));
        Assert.All(Observer.Retries, r => Assert.Contains("overloaded_error: Overloaded", r.Reason));
    }

    [Fact]
    public async Task GetResponse_When500sExhaustTheAttempts_ThrowsServerErrorNamingProviderModelStatusAndMessage()
    {
        for (var i = 0; i < 3; i++)
        {
            Upstream.Enqueue(OpenAIWire.Error(500, "server_error", "The server had an error while processing your request."));
        }

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("gpt-4o").GetResponseAsync(Question));

        Assert.Equal(RunErrorCodes.ServerError, error.Code);
        Assert.Equal(
            "The openai model 'gpt-4o' failed after 3 attempts: HTTP 500 server_error: The server had an error while processing your request.",
            error.Message);
        Assert.Equal(3, Upstream.Requests.Count);
        Assert.Equal(2, Observer.Retries.Count);
    }

    [Fact]
    public async Task GetResponse_When429sExhaustTheAttempts_ThrowsRateLimitExceeded()
    {
        for (var i = 0; i < 3; i++)
        {
            Upstream.Enqueue(AnthropicWire.Error(429, "rate_limit_error", "Rate limited", ("retry-after", "1")));
        }

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question));

        Assert.Equal(RunErrorCodes.RateLimitExceeded, error.Code);
        Assert.Contains("anthropic model 'claude-sonnet-4-5' failed after 3 attempts: HTTP 429 rate_limit_error: Rate limited", error.Message);
        Assert.Equal(3, Upstream.Requests.Count);
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    public async Task GetResponse_OnNonTransientClientError_FailsAtOnceWithoutRetrying(int status, string type)
    {
        Upstream.Enqueue(AnthropicWire.Error(status, type, "No good."));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question));

        Assert.Equal(RunErrorCodes.ServerError, error.Code);
        Assert.Contains($"failed after 1 attempt: HTTP {status} {type}: No good.", error.Message);
        Assert.Single(Upstream.Requests);
        Assert.Empty(Observer.Retries);
    }

    [Fact]
    public async Task GetResponse_WhenRetryAfterExceedsMaxDelay_GivesUpWithoutWaiting()
    {
        Upstream.Enqueue(AnthropicWire.Error(429, "rate_limit_error", "Rate limited", ("retry-after", "120")));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("claude-sonnet-4-5").GetResponseAsync(Question));

        Assert.Equal(RunErrorCodes.RateLimitExceeded, error.Code);
        Assert.Single(Upstream.Requests);
        Assert.Empty(Observer.Retries);
    }

    [Fact]
    public async Task GetResponse_WhenAnAttemptTimesOut_RetriesAndSucceeds()
    {
        // 100 s on the test clock is 1 s of real time: the stalled attempt costs that much.
        UseRouter(o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(100));
        Upstream.Enqueue(ScriptedResponses.Stall(), OpenAIWire.Completion(OpenAIWire.AssistantText("ok"), "stop", OpenAIWire.Usage(5, 2)));

        var response = await Router.GetClient("gpt-4o").GetResponseAsync(Question);

        Assert.Equal("ok", response.Text);
        var retry = Assert.Single(Observer.Retries);
        Assert.Null(retry.StatusCode);
        Assert.Contains("timed out", retry.Reason);
    }

    [Fact]
    public async Task GetResponse_WhenTheConnectionIsRefused_RetriesThenThrowsServerError()
    {
        var closedPort = ClosedLoopbackPort();
        UseRouter(o => o.OpenAI.BaseUrl = $"http://127.0.0.1:{closedPort}/v1");

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Router.GetClient("gpt-4o").GetResponseAsync(Question));

        Assert.Equal(RunErrorCodes.ServerError, error.Code);
        Assert.Contains("failed after 3 attempts: connection failed", error.Message);
        Assert.Equal(2, Observer.Retries.Count);
        Assert.All(Observer.Retries, r => Assert.Null(r.StatusCode));
    }

    [Fact]
    public async Task GetResponse_WhenTheCallerCancels_ThrowsOperationCanceledWithoutRetrying()
    {
        Upstream.Enqueue(ScriptedResponses.Stall());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Router.GetClient("gpt-4o").GetResponseAsync(Question, cancellationToken: cancellation.Token));

        Assert.Empty(Observer.Retries);
    }

    [Fact]
    public async Task GetStreamingResponse_On529BeforeTheFirstUpdate_RetriesAndStreams()
    {
        Upstream.Enqueue(
            AnthropicWire.Error(529, "overloaded_error", "Overloaded"),
            AnthropicWire.Stream("end_turn", AnthropicWire.Usage(5, 1), 2, AnthropicWire.TextBlock("Hi", "!")));

        var updates = await Router.GetClient("claude-sonnet-4-5").GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal("Hi!", updates.ToChatResponse().Text);
        Assert.Equal(2, Upstream.Requests.Count);
        Assert.Equal(529, Assert.Single(Observer.Retries).StatusCode);
    }

    [Fact]
    public async Task GetStreamingResponse_OnAnOverloadedErrorEventBeforeTheFirstUpdate_RetriesAndStreams()
    {
        Upstream.Enqueue(
            ScriptedResponses.Sse([AnthropicWire.ErrorEvent("overloaded_error", "Overloaded")]),
            AnthropicWire.Stream("end_turn", AnthropicWire.Usage(5, 1), 2, AnthropicWire.TextBlock("Hi")));

        var updates = await Router.GetClient("claude-sonnet-4-5").GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal("Hi", updates.ToChatResponse().Text);
        var retry = Assert.Single(Observer.Retries);
        Assert.Equal(529, retry.StatusCode);
        Assert.Contains("overloaded_error: Overloaded", retry.Reason);
    }

    [Fact]
    public async Task GetStreamingResponse_On503BeforeTheFirstChunk_RetriesAndStreams()
    {
        Upstream.Enqueue(
            OpenAIWire.Error(503, "server_error", "Service unavailable"),
            OpenAIWire.Stream(OpenAIWire.Chunk(OpenAIWire.TextDelta("Hi!")), OpenAIWire.Chunk(new(), "stop")));

        var updates = await Router.GetClient("gpt-4o").GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal("Hi!", updates.ToChatResponse().Text);
        Assert.Equal(503, Assert.Single(Observer.Retries).StatusCode);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
