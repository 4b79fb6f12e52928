using AgentHost.Core.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// Listens, on one connection, for what other nodes tell this one: the run ids PostgreSQL notifies when a run is moved
/// to <c>cancelling</c> (a trigger on <c>runs</c>), so a cancel accepted by any node stops the model call on the node
/// executing the run at once; and the watches whose run events another node wrote (<see cref="PostgresRunStreams"/>).
/// Notifications carry ids only; a lost one costs latency, not correctness, as the executing node fails its next
/// compare-and-set and the streams poll.
/// </summary>
public sealed partial class PostgresRunSignals(PostgresDatabase database, RunCancellations cancellations, PostgresRunStreams streams, TimeProvider time,
    ILogger<PostgresRunSignals> logger) : BackgroundService
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
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {CancelChannel}; LISTEN {PostgresRunStreams.EventsChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                streams.Listening();
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
