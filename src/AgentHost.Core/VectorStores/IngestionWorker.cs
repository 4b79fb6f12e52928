using System.Collections.Concurrent;
using System.Text.Json;
using AgentHost.Core.Files;
using AgentHost.Core.Retrieval;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.VectorStores;

/// <summary>
/// Ingests vector store files in the background: extract the text, hand it to the index, record the outcome. The
/// queue is the files still <c>in_progress</c> in the store, so work interrupted by a restart is simply done again
/// (indexing replaces a file's chunks), and nothing is lost.
/// </summary>
public sealed partial class IngestionWorker(
    IVectorStoreRepository repository,
    IFileStore files,
    ITextExtractor extractor,
    IVectorStoreIndex index,
    IngestionSignal signal,
    FileSearchOptions options,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string, string), byte> running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.IngestionConcurrency <= 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var free = options.IngestionConcurrency - running.Count;
            if (free > 0)
            {
                try
                {
                    foreach (var work in await repository.PendingAsync(free, running.Keys.ToHashSet(), stoppingToken))
                    {
                        var key = (work.VectorStoreId, work.FileId);
                        if (running.TryAdd(key, 0))
                        {
                            _ = Task.Run(() => RunAsync(work, key, stoppingToken), CancellationToken.None);
                        }
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogQueueFailed(logger, exception);
                }
            }

            try
            {
                await signal.WaitForQueuedAsync(options.IngestionPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(PendingIngestion work, (string, string) key, CancellationToken stoppingToken)
    {
        try
        {
            await IngestAsync(work, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the file stays in_progress and is ingested again after the restart.
        }
        catch (Exception exception)
        {
            LogIngestionFailed(logger, work.FileId, work.VectorStoreId, exception);
            await repository.FinishAsync(work.VectorStoreId, work.FileId, VectorStoreFileStatus.Failed, 0, null,
                new VectorStoreFileError(IngestionErrorCodes.ServerError, $"Indexing failed: {exception.Message}"), CancellationToken.None);
        }
        finally
        {
            running.TryRemove(key, out _);
            signal.Finished();
            signal.Queued();
        }
    }

    private async Task IngestAsync(PendingIngestion work, CancellationToken cancellationToken)
    {
        var store = await repository.GetAsync(work.VectorStoreId, cancellationToken);
        var file = await files.GetAsync(work.FileId, cancellationToken);
        if (store is null)
        {
            return;
        }

        string text;
        try
        {
            await using var content = file is null ? null : await files.OpenReadAsync(file.Id, cancellationToken);
            text = content is null
                ? throw new TextExtractionException(IngestionErrorCodes.InvalidFile, $"File '{work.FileId}' no longer exists.")
                : await extractor.ExtractAsync(file!.Filename, content, cancellationToken);
        }
        catch (TextExtractionException rejected)
        {
            await repository.FinishAsync(work.VectorStoreId, work.FileId, VectorStoreFileStatus.Failed, 0, null,
                new VectorStoreFileError(rejected.Code, rejected.Message), CancellationToken.None);
            return;
        }

        var indexed = await index.IndexFileAsync(
            new IndexFileRequest(work.VectorStoreId, work.FileId, file!.Filename, text, work.Chunking, ToAttributes(work.Attributes), store.EmbeddingModel),
            cancellationToken);
        var recorded = await repository.FinishAsync(work.VectorStoreId, work.FileId, VectorStoreFileStatus.Completed, indexed.UsageBytes,
            ChunkingStrategyObject.From(indexed.Chunking), null, CancellationToken.None);
        if (!recorded)
        {
            // Removed or cancelled while it was being indexed: drop what was indexed.
            await index.RemoveFileAsync(work.VectorStoreId, work.FileId, CancellationToken.None);
        }
    }

    /// <summary>Attribute values as the index takes them: string, double or bool.</summary>
    public static IReadOnlyDictionary<string, object?> ToAttributes(IReadOnlyDictionary<string, JsonElement> attributes) =>
        attributes.ToDictionary(a => a.Key, a => a.Value.ValueKind switch
        {
            JsonValueKind.String => a.Value.GetString(),
            JsonValueKind.Number => a.Value.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => (object?)null,
        }, StringComparer.Ordinal);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Reading the ingestion queue failed")]
    private static partial void LogQueueFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Ingesting file {FileId} into vector store {VectorStoreId} failed")]
    private static partial void LogIngestionFailed(ILogger logger, string fileId, string vectorStoreId, Exception exception);
}
