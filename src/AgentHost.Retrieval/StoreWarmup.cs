using AgentHost.Retrieval.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Retrieval;

/// <summary>
/// Loads every persisted store into memory after start, one at a time in the background, so the first search after a
/// restart finds its store warm. A search that arrives first simply shares the same load.
/// </summary>
internal sealed partial class StoreWarmup(VectorStoreIndex index, ChunkRepository repository, IOptions<RetrievalOptions> options, ILogger<StoreWarmup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmStoresOnStart)
        {
            return;
        }

        // Let the host finish starting first.
        await Task.Yield();
        try
        {
            foreach (var storeId in await repository.StoreIdsAsync(stoppingToken))
            {
                stoppingToken.ThrowIfCancellationRequested();
                await index.GetStoreAsync(storeId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A store that fails to load here fails again (and is reported) on its first search.
            LogWarmupFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming vector stores at start failed")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
