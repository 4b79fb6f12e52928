using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Containers;

/// <summary>
/// Every <see cref="ContainerOptions.SweepInterval"/>: expires containers past their <c>expires_after</c> and stops
/// idle sessions. Expiry is a compare-and-set in the store, so sweeps on several nodes never act twice on one container.
/// </summary>
public sealed partial class ContainerSweeper(ContainerService containers, ContainerSessions sessions, ContainerOptions options, TimeProvider time,
    ILogger<ContainerSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await containers.ExpireDueAsync(stoppingToken);
                    await sessions.StopIdleAsync();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 4312, Level = LogLevel.Warning, Message = "The container sweep failed; it is tried again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
