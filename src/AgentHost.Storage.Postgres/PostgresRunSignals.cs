using AgentHost.Core.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// Listens for the run ids PostgreSQL notifies when a run is moved to <c>cancelling</c> (a trigger on <c>runs</c>), so a
/// cancel accepted by any node stops the model call on the node executing the run at once. Notifications carry ids
/// only; a lost one costs latency, not correctness, as the executing node fails its next compare-and-set.
/// </summary>
public sealed partial class PostgresRunSignals(PostgresDatabase database, RunCancellations cancellations, TimeProvider time, ILogger<PostgresRunSignals> logger)
    : BackgroundService
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
                    if (e.Channel == CancelChannel)
                    {
                        cancellations.Signal(e.Payload);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {CancelChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

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
