using AgentHost.Core.Files;

namespace AgentHost.Server.Uploads;

/// <summary>Marks pending uploads past their <c>expires_at</c> as expired and deletes their parts, so abandoned uploads free their disk.</summary>
internal sealed partial class UploadSweeper(IUploadStore uploads, FileLimits limits, TimeProvider time, ILogger<UploadSweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(limits.UploadSweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var swept = 0;
        IReadOnlyList<Upload> expired;
        do
        {
            expired = await uploads.ListExpiredAsync(time.GetUtcNow().ToUnixTimeSeconds(), Batch, cancellationToken);
            foreach (var upload in expired)
            {
                await uploads.UpdateAsync(upload with { Status = UploadStatus.Expired }, cancellationToken);
                await uploads.DeletePartsAsync(upload.Id, cancellationToken);
                swept++;
            }
        }
        while (expired.Count == Batch);

        if (swept > 0)
        {
            LogSwept(logger, swept);
        }

        return swept;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Expired {Count} abandoned uploads and deleted their parts")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Sweeping expired uploads failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
