using AgentHost.Core.Events;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentHost.Storage.Postgres;

public sealed partial class PostgresRunStreams
{
    private const int MaxBatch = 512;

    /// <summary>Writes the events of runs watched elsewhere, in publication order, each batch with one notification per watch.</summary>
    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(string Watch, AgentEvent Event)>();
        try
        {
            while (await outbox.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && outbox.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await SendAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the runs' leases lapse and the nodes that resume them send their events on.
        }
    }

    private async Task SendAsync(List<(string Watch, AgentEvent Event)> batch, CancellationToken stoppingToken)
    {
        var watchIds = batch.Select(b => b.Watch).ToArray();
        var runIds = batch.Select(b => b.Event.RunId).ToArray();
        var sequences = batch.Select(b => b.Event.Sequence).ToArray();
        var data = batch.Select(b => RunEventCodec.Write(b.Event)).ToArray();
        var notified = watchIds.Distinct(StringComparer.Ordinal).ToArray();
        var cleanup = time.GetUtcNow() - lastCleanup >= CleanupInterval;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // One round trip, one implicit transaction: the rows are visible when the notifications arrive. A retry
                // after a lost reply inserts nothing twice (the executor's sequence numbers are unique per watch).
                await database.BatchAsync(b =>
                {
                    b.Add("""
                        INSERT INTO run_events (watch, run_id, node, event_seq, data)
                        SELECT w, r, @node, s, d FROM unnest(@watches, @runs, @sequences, @data) WITH ORDINALITY AS e(w, r, s, d, o) ORDER BY o
                        ON CONFLICT (watch, node, event_seq) DO NOTHING
                        """, ("@node", node), ("@watches", watchIds), ("@runs", runIds), ("@sequences", sequences), ("@data", data));
                    b.Add($"SELECT pg_notify('{EventsChannel}', w) FROM unnest(@notified) AS w", ("@notified", notified));
                    if (cleanup)
                    {
                        // Rows a watcher has had an hour to read; its stream ended or its node went away.
                        b.Add("DELETE FROM run_events WHERE created_at_ms < (extract(epoch FROM now()) * 1000)::bigint - 3600000");
                    }
                }, stoppingToken);
                if (cleanup)
                {
                    lastCleanup = time.GetUtcNow();
                }

                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The database is away (restarting, unreachable): keep the events in order and try again.
                LogSendFailed(logger, batch.Count, attempt, exception);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), time, stoppingToken);
            }
        }
    }

    /// <summary>Reads what was written under the watches that are due, after the last row each delivered, and delivers it here.</summary>
    private async Task ReceiveLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await due.Reader.WaitToReadAsync(stoppingToken))
            {
                while (due.Reader.TryRead(out var watch))
                {
                    batch.Add(watch);
                }

                try
                {
                    await ReceiveAsync(batch, stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    // The next poll asks again for the watches still open.
                    LogReceiveFailed(logger, exception);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the streams here end with the process.
        }
    }

    private async Task ReceiveAsync(HashSet<string> due, CancellationToken stoppingToken)
    {
        var open = due.Select(w => (Id: w, Watch: watches.GetValueOrDefault(w))).Where(w => w.Watch is not null).ToList();
        if (open.Count == 0)
        {
            return;
        }

        var rows = await database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command("""
                SELECT e.watch, e.seq, e.data FROM run_events e JOIN unnest(@watches, @after) AS w(watch, after) ON e.watch = w.watch AND e.seq > w.after
                ORDER BY e.seq
                """, null, ("@watches", open.Select(w => w.Id).ToArray()), ("@after", open.Select(w => w.Watch!.Last).ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var read = new List<(string Watch, long Seq, string Data)>();
            while (await reader.ReadAsync(ct))
            {
                read.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }

            return read;
        }, stoppingToken);

        foreach (var (id, seq, data) in rows)
        {
            if (!watches.TryGetValue(id, out var watch) || seq <= watch.Last)
            {
                continue;
            }

            watch.Last = seq;
            var agentEvent = RunEventCodec.Read(data);
            watch.Ended |= agentEvent is RunStatusChanged { EndsOrPauses: true } or ErrorOccurred;
            hub.PublishFromAnotherNode(agentEvent);
        }
    }

    /// <summary>Each second: forgets watches nobody here subscribes to any more, and asks for the open ones not executing here.</summary>
    private async Task PollLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                foreach (var (id, watch) in watches)
                {
                    if (!hub.IsWatchedAcrossNodes(watch.RunId))
                    {
                        watches.TryRemove(id, out _);
                    }
                    else if (!watch.Ended && now - watch.Since >= PollInterval && !cancellations.IsExecuting(watch.RunId))
                    {
                        due.Writer.TryWrite(id);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Sending {Count} events of runs streamed by other nodes failed (attempt {Attempt}); retrying")]
    private static partial void LogSendFailed(ILogger logger, int count, int attempt, Exception exception);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Reading the events of runs executed by other nodes failed; the next poll asks again")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);
}
