using System.Runtime.CompilerServices;
using AgentHost.Providers.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Providers.Tests.Resilience;

public sealed class StreamAttemptTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MoveNext_WhenTheUpstreamStaysSilentForTheIdleTimeout_IsCancelled()
    {
        var time = new FakeTimeProvider();
        await using var attempt = new StreamAttempt(IdleTimeout, time, CancellationToken.None);
        await attempt.StartAsync(new OneUpdateThenSilence(), [], null);

        var next = attempt.MoveNextAsync();
        time.Advance(IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task MoveNext_AfterASlowConsumer_StillGivesTheUpstreamTheWholeIdleTimeout()
    {
        var time = new FakeTimeProvider();
        await using var attempt = new StreamAttempt(IdleTimeout, time, CancellationToken.None);
        await attempt.StartAsync(new OneUpdateThenSilence(), [], null);

        // The consumer holds the first update for longer than the idle timeout; that is not upstream silence.
        time.Advance(IdleTimeout * 2);
        var next = attempt.MoveNextAsync();
        time.Advance(IdleTimeout - TimeSpan.FromSeconds(1));

        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    /// <summary>Yields one update, then waits until cancelled.</summary>
    private sealed class OneUpdateThenSilence : IChatClient
    {
        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "first");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
