using AgentHost.Core.Engine;
using AgentHost.Core.Retrieval;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// Listens, on one connection, for what other nodes tell this one: the run ids PostgreSQL notifies when a run is moved
/// to <c>cancelling</c> (a trigger on <c>runs</c>), so a cancel accepted by any node stops the model call on the node
/// executing the run at once; the watches whose run events another node wrote (<see cref="PostgresRunStreams"/>); and
/// the vector stores another node changed, whose in-memory copy this node drops. Notifications carry ids only. One is
/// lost only while the connection is down: a cancel then waits for the executing node's next compare-and-set, the
/// streams poll, and every vector store copy is dropped when listening starts again.
/// </summary>
public sealed partial class PostgresRunSignals(PostgresDatabase database, PostgresNode here, RunCancellations cancellations, PostgresRunStreams streams,
    TimeProvider time, ILogger<PostgresRunSignals> logger, IVectorStoreIndex? vectorStores = null) : BackgroundService
{
    public const string CancelChannel = "agenthost_cancel";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    switch (e.Channel)
                    {
                        case CancelChannel:
                            cancellations.Signal(e.Payload);
                            break;
                        case PostgresRunStreams.EventsChannel:
                            streams.Notified(e.Payload);
                            break;
                        case PostgresChunkStore.ChangedChannel when PostgresChunkStore.ChangedElsewhere(e.Payload, here) is { } storeId:
                            vectorStores?.Forget(storeId);
                            break;
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {CancelChannel}; LISTEN {PostgresRunStreams.EventsChannel}; LISTEN {PostgresChunkStore.ChangedChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                streams.Listening();
                vectorStores?.ForgetAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
            {
                LogListenFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Listening for run signals failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
