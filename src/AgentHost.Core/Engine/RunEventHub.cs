using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentHost.Core.Events;

namespace AgentHost.Core.Engine;

/// <summary>In-process fan-out of run events to the streams that watch a run. Publishing to no one costs a lookup.</summary>
public sealed class RunEventHub : IRunEventSink
{
    private readonly ConcurrentDictionary<string, RunSubscription[]> subscriptions = new();

    public void Publish(AgentEvent agentEvent)
    {
        if (!subscriptions.TryGetValue(agentEvent.RunId, out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Writer.TryWrite(agentEvent);
        }
    }

    /// <summary>Starts watching a run; dispose the subscription to stop.</summary>
    public RunSubscription Subscribe(string runId)
    {
        var subscription = new RunSubscription(runId, this);
        subscriptions.AddOrUpdate(runId, _ => [subscription], (_, existing) => [.. existing, subscription]);
        return subscription;
    }

    internal void Unsubscribe(RunSubscription subscription)
    {
        while (subscriptions.TryGetValue(subscription.RunId, out var existing))
        {
            var remaining = existing.Where(s => s != subscription).ToArray();
            var done = remaining.Length == 0
                ? subscriptions.TryRemove(new KeyValuePair<string, RunSubscription[]>(subscription.RunId, existing))
                : subscriptions.TryUpdate(subscription.RunId, remaining, existing);
            if (done)
            {
                return;
            }
        }
    }
}

/// <summary>The events of one run, in order, until the run ends or pauses.</summary>
public sealed class RunSubscription(string runId, RunEventHub hub) : IDisposable
{
    private readonly Channel<AgentEvent> channel = Channel.CreateUnbounded<AgentEvent>(new() { SingleReader = true });

    public string RunId { get; } = runId;

    internal ChannelWriter<AgentEvent> Writer => channel.Writer;

    /// <summary>The run's events until (and including) the first that ends or pauses it, or an error.</summary>
    public async IAsyncEnumerable<AgentEvent> ReadUntilPauseAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var agentEvent in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return agentEvent;
            if (agentEvent is RunStatusChanged { EndsOrPauses: true } or ErrorOccurred)
            {
                yield break;
            }
        }
    }

    public void Dispose() => hub.Unsubscribe(this);
}
