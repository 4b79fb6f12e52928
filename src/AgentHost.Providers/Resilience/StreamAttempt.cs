using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Resilience;

/// <summary>
/// One attempt's stream, cancelled when the upstream stays silent for the idle timeout while we wait for an
/// update. Only waiting counts: a slow consumer between updates is not the upstream's silence.
/// </summary>
internal sealed class StreamAttempt : IAsyncDisposable
{
    private const long NotWaiting = long.MaxValue;

    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _cancellation;
    private readonly ITimer _idleTimer;
    private long _waitingSince;
    private IAsyncEnumerator<ChatResponseUpdate>? _updates;

    public StreamAttempt(TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _idleTimeout = idleTimeout;
        _timeProvider = timeProvider;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _waitingSince = timeProvider.GetTimestamp();
        _idleTimer = timeProvider.CreateTimer(static state => ((StreamAttempt)state!).OnIdleTimer(), this, idleTimeout, Timeout.InfiniteTimeSpan);
    }

    public bool HasCurrent { get; private set; }

    public ChatResponseUpdate Current => _updates!.Current;

    /// <summary>Sends the request and waits for the first update, the point after which no retry is safe.</summary>
    public async Task StartAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        _updates = client.GetStreamingResponseAsync(messages, options, _cancellation.Token).GetAsyncEnumerator(_cancellation.Token);
        HasCurrent = await _updates.MoveNextAsync().ConfigureAwait(false);
        Volatile.Write(ref _waitingSince, NotWaiting);
    }

    public async Task MoveNextAsync()
    {
        // Two timestamps per update instead of re-arming a timer per update: the timer checks when it fires.
        Volatile.Write(ref _waitingSince, _timeProvider.GetTimestamp());
        HasCurrent = await _updates!.MoveNextAsync().ConfigureAwait(false);
        Volatile.Write(ref _waitingSince, NotWaiting);
    }

    public async ValueTask DisposeAsync()
    {
        await _idleTimer.DisposeAsync().ConfigureAwait(false);
        try
        {
            if (_updates is not null)
            {
                await _updates.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _cancellation.Dispose();
        }
    }

    private void OnIdleTimer()
    {
        var waitingSince = Volatile.Read(ref _waitingSince);
        var silence = waitingSince == NotWaiting ? TimeSpan.Zero : _timeProvider.GetElapsedTime(waitingSince);
        try
        {
            if (silence >= _idleTimeout)
            {
                _cancellation.Cancel();
            }
            else
            {
                _idleTimer.Change(_idleTimeout - silence, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended while the timer fired.
        }
    }
}
