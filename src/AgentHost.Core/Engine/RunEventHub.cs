using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentHost.Core.Events;

namespace AgentHost.Core.Engine;

/// <summary>
/// In-process fan-out of run events to the streams that watch a run. Publishing to no one costs a lookup. With many nodes
/// (PostgreSQL), a run queued while watched here is announced to the node that executes it, which sends its events back.
/// </summary>
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

    /// <summary>Delivers an event another node's executor published to the subscriptions that watch its run across nodes.</summary>
    public void PublishFromAnotherNode(AgentEvent agentEvent)
    {
        if (!subscriptions.TryGetValue(agentEvent.RunId, out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers)
        {
            if (subscriber.AcrossNodes)
            {
                subscriber.Writer.TryWrite(agentEvent);
            }
        }
    }

    /// <summary>Starts watching a run, wherever it executes; dispose the subscription to stop.</summary>
    public RunSubscription Subscribe(string runId) => Add(new RunSubscription(runId, this, acrossNodes: true));

    /// <summary>
    /// Starts watching a run as this process executes it, not as another node does: for a recorder of a run's events,
    /// which the executing node runs itself.
    /// </summary>
    public RunSubscription SubscribeHere(string runId) => Add(new RunSubscription(runId, this, acrossNodes: false));

    /// <summary>Whether a subscription here wants the run's events from whichever node executes it.</summary>
    public bool IsWatchedAcrossNodes(string runId) =>
        subscriptions.TryGetValue(runId, out var subscribers) && Array.Exists(subscribers, s => s.AcrossNodes);

    private RunSubscription Add(RunSubscription subscription)
    {
        var runId = subscription.RunId;
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
public sealed class RunSubscription(string runId, RunEventHub hub, bool acrossNodes) : IDisposable
{
    private readonly Channel<AgentEvent> channel = Channel.CreateUnbounded<AgentEvent>(new() { SingleReader = true });

    public string RunId { get; } = runId;

    internal bool AcrossNodes { get; } = acrossNodes;

    internal ChannelWriter<AgentEvent> Writer => channel.Writer;

    /// <summary>Takes the next event already published, if any, without waiting.</summary>
    public bool TryRead([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out AgentEvent agentEvent) => channel.Reader.TryRead(out agentEvent);

    /// <summary>Waits until an event can be read; false once the subscription is complete.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => channel.Reader.WaitToReadAsync(cancellationToken);

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
