using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// Streams of runs across nodes. When a run is queued while a subscription here watches it across nodes, the store
/// stamps the run with a watch token (<c>runs.watched_by</c>, this node's id and a counter). The node that leases the
/// run reads the token with the lease; if it is another node's, that node's executor writes every event it publishes
/// for the run to <c>run_events</c> under the token and notifies <see cref="EventsChannel"/> with the token (an id,
/// never the payload). The watching node reads the rows after the last it delivered and hands them to its
/// <see cref="RunEventHub"/>, so its stream renders what the executor published, in order, once each. A run executed
/// where it is watched, and a run nobody streams, write nothing: the cost is a lookup per event while no run is watched
/// elsewhere. A lost notification is covered by a poll, each second, of the watches whose run does not execute here.
/// </summary>
public sealed partial class PostgresRunStreams(PostgresDatabase database, PostgresNode here, RunEventHub hub, RunCancellations cancellations,
    TimeProvider time, ILogger<PostgresRunStreams> logger) : BackgroundService
{
    public const string EventsChannel = "agenthost_run_events";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    private readonly string node = here.Id;
    private readonly ConcurrentDictionary<string, Watch> watches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> publishing = new(StringComparer.Ordinal);
    private readonly Channel<(string Watch, AgentEvent Event)> outbox = Channel.CreateUnbounded<(string, AgentEvent)>(new() { SingleReader = true });
    private readonly Channel<string> due = Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private long lastWatch;
    private int publishingCount;
    private DateTimeOffset lastCleanup;

    /// <summary>This process's id among the nodes, the prefix of its watch tokens.</summary>
    public string Node => node;

    /// <summary>
    /// The token to stamp on a run being queued: a new watch when a subscription here watches the run across nodes, else
    /// null. Called by the store inside the queueing write, so the token is stored before any node can lease the run.
    /// </summary>
    public string? WatchFor(string runId)
    {
        if (!hub.IsWatchedAcrossNodes(runId))
        {
            return null;
        }

        var token = $"{node}.{Interlocked.Increment(ref lastWatch)}";
        watches[token] = new Watch(runId, time.GetUtcNow());
        return token;
    }

    /// <summary>This node leased <paramref name="runId"/>, stamped <paramref name="watchedBy"/>: publish its events if another node watches it.</summary>
    public void Leased(string runId, string? watchedBy)
    {
        if (watchedBy is null || watchedBy.StartsWith(node + ".", StringComparison.Ordinal))
        {
            Released(runId);
            return;
        }

        if (publishing.TryAdd(runId, watchedBy))
        {
            Interlocked.Increment(ref publishingCount);
            LogPublishing(logger, runId, watchedBy);
        }
        else
        {
            publishing[runId] = watchedBy;
        }
    }

    /// <summary>This node let go of the run's lease: its events stop going to the database (those published are still sent).</summary>
    public void Released(string runId)
    {
        if (publishing.TryRemove(runId, out _))
        {
            Interlocked.Decrement(ref publishingCount);
        }
    }

    /// <summary>An event this node's engine published: sent on when another node watches its run.</summary>
    public void Published(AgentEvent agentEvent)
    {
        if (Volatile.Read(ref publishingCount) == 0 || !publishing.TryGetValue(agentEvent.RunId, out var watch))
        {
            return;
        }

        outbox.Writer.TryWrite((watch, agentEvent));
    }

    /// <summary>A notification on <see cref="EventsChannel"/>: events were written under <paramref name="watch"/>.</summary>
    public void Notified(string watch)
    {
        if (watches.ContainsKey(watch))
        {
            due.Writer.TryWrite(watch);
        }
    }

    /// <summary>The listening connection was (re)opened: notifications may have been missed meanwhile.</summary>
    public void Listening()
    {
        foreach (var watch in watches.Keys)
        {
            due.Writer.TryWrite(watch);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendLoopAsync(stoppingToken), ReceiveLoopAsync(stoppingToken), PollLoopAsync(stoppingToken));

    private sealed class Watch(string runId, DateTimeOffset since)
    {
        public string RunId { get; } = runId;

        public DateTimeOffset Since { get; } = since;

        /// <summary>The last row delivered; only the receive loop reads and writes it.</summary>
        public long Last { get; set; }

        /// <summary>Whether the run's segment ended or paused in what was delivered: nothing more is expected under this watch.</summary>
        public bool Ended { get; set; }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Run {RunId} is streamed by another node (watch {Watch}); its events go through the database")]
    private static partial void LogPublishing(ILogger logger, string runId, string watch);
}
