using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Resilience;

/// <summary>
/// One attempt's stream. Its timeout restarts before each update is awaited, so it bounds the silence
/// between updates rather than the length of the whole answer.
/// </summary>
internal sealed class StreamAttempt : IAsyncDisposable
{
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private IAsyncEnumerator<ChatResponseUpdate>? _updates;

    public StreamAttempt(TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _idleTimeout = idleTimeout;
        _timeout = new CancellationTokenSource(idleTimeout, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
    }

    public bool HasCurrent { get; private set; }

    public ChatResponseUpdate Current => _updates!.Current;

    /// <summary>Sends the request and waits for the first update, the point after which no retry is safe.</summary>
    public async Task StartAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        _updates = client.GetStreamingResponseAsync(messages, options, _linked.Token).GetAsyncEnumerator(_linked.Token);
        HasCurrent = await _updates.MoveNextAsync().ConfigureAwait(false);
    }

    public async Task MoveNextAsync()
    {
        _timeout.CancelAfter(_idleTimeout);
        HasCurrent = await _updates!.MoveNextAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_updates is not null)
            {
                await _updates.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _linked.Dispose();
            _timeout.Dispose();
        }
    }
}
