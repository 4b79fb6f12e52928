using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Hands previews of events being produced to the streams of their session that opted in to <c>event_deltas</c>, on
/// this node. Best-effort, as the API defines deltas: a stream that falls more than <see cref="Capacity"/> previews
/// behind loses the oldest, and the final event always carries the whole content.
/// </summary>
internal sealed class SessionPreviews
{
    private const int Capacity = 1024;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<SessionPreview>, byte>> watchers = new(StringComparer.Ordinal);

    /// <summary>Whether any stream of <paramref name="sessionId"/> takes previews (the recorder makes none otherwise).</summary>
    public bool IsWatched(string sessionId) => watchers.TryGetValue(sessionId, out var channels) && !channels.IsEmpty;

    public void Publish(string sessionId, SessionPreview preview)
    {
        if (watchers.TryGetValue(sessionId, out var channels))
        {
            foreach (var channel in channels.Keys)
            {
                channel.Writer.TryWrite(preview);
            }
        }
    }

    /// <summary>A reader of the session's previews from now on; disposing it stops them.</summary>
    public Watch Subscribe(string sessionId)
    {
        var channel = Channel.CreateBounded<SessionPreview>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false });
        watchers.GetOrAdd(sessionId, _ => new()).TryAdd(channel, 0);
        return new Watch(channel.Reader, () =>
        {
            if (watchers.TryGetValue(sessionId, out var channels))
            {
                channels.TryRemove(channel, out _);
            }
        });
    }

    /// <summary>One stream's previews.</summary>
    internal sealed class Watch(ChannelReader<SessionPreview> reader, Action stop) : IDisposable
    {
        public ChannelReader<SessionPreview> Reader => reader;

        public void Dispose() => stop();
    }
}
