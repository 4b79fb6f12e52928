using System.Threading.Channels;
using AgentHost.Core.Observability;
using Microsoft.Extensions.Logging;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// Writes trace spans off the model call's path: spans are queued as they end, built (their request and response
/// snapshots serialized) and saved in batches by one background loop. Readers of traces call
/// <see cref="FlushAsync"/> first, so they see every span queued before they asked. Spend never waits on this: it is
/// in the usage ledger, written as each call ends. A span queued when the queue is full is dropped and logged.
/// </summary>
public sealed partial class TraceWriter : IAsyncDisposable
{
    private const int Capacity = 10_000;
    private const int BatchSize = 256;

    private readonly Channel<object> queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ITraceStore store;
    private readonly ILogger<TraceWriter> logger;
    private readonly Task loop;

    public TraceWriter(ITraceStore store, ObservabilityOptions options, ILogger<TraceWriter> logger)
    {
        this.store = store;
        this.logger = logger;
        Enabled = options.Tracing;
        loop = Enabled ? Task.Run(RunAsync) : Task.CompletedTask;
    }

    /// <summary>False when tracing is off: nothing is queued.</summary>
    public bool Enabled { get; }

    /// <summary>Queues a span; <paramref name="build"/> runs on the writer's loop.</summary>
    internal void Enqueue(Func<TraceSpan> build)
    {
        if (Enabled && !queue.Writer.TryWrite(build))
        {
            LogSpanDropped(logger, Capacity);
        }
    }

    /// <summary>Completes once every span queued before the call is saved (or failed to save and was logged).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await queue.Writer.WriteAsync(flushed, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<TraceSpan>(BatchSize);
        var flushes = new List<TaskCompletionSource>();
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < BatchSize && queue.Reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource flush)
                {
                    flushes.Add(flush);
                    continue;
                }

                try
                {
                    batch.Add(((Func<TraceSpan>)item)());
                }
                catch (Exception e)
                {
                    LogSpanNotBuilt(logger, e);
                }
            }

            if (batch.Count > 0)
            {
                try
                {
                    await store.AddSpansAsync(batch, CancellationToken.None);
                }
                catch (Exception e)
                {
                    LogSpansNotSaved(logger, batch.Count, e);
                }

                batch.Clear();
            }

            foreach (var flush in flushes)
            {
                flush.SetResult();
            }

            flushes.Clear();
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "{Count} trace spans could not be saved")]
    private static partial void LogSpansNotSaved(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "A trace span could not be built")]
    private static partial void LogSpanNotBuilt(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "A trace span was dropped: {Capacity} spans are already waiting to be saved")]
    private static partial void LogSpanDropped(ILogger logger, int capacity);
}
