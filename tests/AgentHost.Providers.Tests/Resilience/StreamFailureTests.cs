using AgentHost.Core.Domain;
using AgentHost.Core.Models;
using AgentHost.Providers.Tests.TestSupport;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Resilience;

/// <summary>Streams that fail after yielding: no retry (the caller has output), a clear error instead.</summary>
public sealed class StreamFailureTests : UpstreamTests
{
    [Fact]
    public async Task GetStreamingResponse_WhenAnthropicDropsTheConnectionMidway_ThrowsServerErrorAfterTheTextSoFar()
    {
        // message_start, content_block_start, ping, two text deltas; then the connection drops.
        var events = AnthropicWire.StreamEvents("end_turn", AnthropicWire.Usage(5, 1), 9, AnthropicWire.TextBlock("Hel", "lo", " there"));
        var readHello = new TaskCompletionSource();
        Upstream.Enqueue(ScriptedResponses.Sse(events, breakAfter: 5, clientCaughtUp: readHello.Task));
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in Router.GetClient("claude-sonnet-4-5").GetStreamingResponseAsync(Question))
            {
                received.Add(update.Text);
                if (string.Concat(received) == "Hello")
                {
                    readHello.SetResult();
                }
            }
        });

        Assert.Equal(RunErrorCodes.ServerError, error.Code);
        Assert.Contains("anthropic model 'claude-sonnet-4-5' stream ended unexpectedly", error.Message);
        Assert.Equal("Hello", string.Concat(received));
        Assert.Single(Upstream.Requests);
        Assert.Empty(Observer.Retries);
    }

    [Fact]
    public async Task GetStreamingResponse_WhenOpenAIDropsTheConnectionMidway_ThrowsServerErrorWithoutRetrying()
    {
        var events = OpenAIWire.StreamEvents(
            OpenAIWire.Chunk(OpenAIWire.RoleDelta()),
            OpenAIWire.Chunk(OpenAIWire.TextDelta("Hel")),
            OpenAIWire.Chunk(OpenAIWire.TextDelta("lo")),
            OpenAIWire.Chunk(new(), "stop"));
        var readHel = new TaskCompletionSource();
        Upstream.Enqueue(ScriptedResponses.Sse(events, breakAfter: 2, clientCaughtUp: readHel.Task));

        var error = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in Router.GetClient("gpt-4o").GetStreamingResponseAsync(Question))
            {
                if (update.Text == "Hel")
                {
                    readHel.SetResult();
                }
            }
        });

        Assert.Equal(RunErrorCodes.ServerError, error.Code);
        Assert.Contains("openai model 'gpt-4o' stream ended unexpectedly", error.Message);
        Assert.Single(Upstream.Requests);
    }

    [Fact]
    public async Task GetStreamingResponse_WhenTheStreamGoesSilentMidway_ThrowsAfterTheAttemptTimeout()
    {
        UseRouter(o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(100));
        var events = OpenAIWire.StreamEvents(OpenAIWire.Chunk(OpenAIWire.TextDelta("Hel")), OpenAIWire.Chunk(OpenAIWire.TextDelta("lo")));
        Upstream.Enqueue(ScriptedResponses.Sse(events, breakAfter: 1, stall: true));

        var error = await Assert.ThrowsAsync<ModelCallException>(
            async () => await Router.GetClient("gpt-4o").GetStreamingResponseAsync(Question).ToListAsync());

        Assert.Contains("stream ended unexpectedly after 1 update(s): timed out", error.Message);
    }
}
