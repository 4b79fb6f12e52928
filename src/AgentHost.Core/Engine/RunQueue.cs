using System.Threading.Channels;

namespace AgentHost.Core.Engine;

/// <summary>
/// Wakes the worker for runs that have work to do. The store is the source of truth; this only saves the
/// worker from waiting for its next sweep, so losing it in a crash loses nothing.
/// </summary>
public sealed class RunQueue
{
    private readonly Channel<string> channel = Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public void Enqueue(string runId) => channel.Writer.TryWrite(runId);

    internal ChannelReader<string> Reader => channel.Reader;
}
