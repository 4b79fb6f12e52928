using System.Text.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;

namespace AgentHost.Storage.Sqlite;

/// <summary>Batches and the ingestion queue: files <c>in_progress</c> are the queue, so it survives restarts.</summary>
public sealed partial class SqliteVectorStoreRepository
{
    public async Task<VectorStoreFileBatch?> GetBatchAsync(string vectorStoreId, string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var batch = connection.Command($"SELECT data FROM vector_store_file_batches WHERE id = @id AND vector_store_id = @vs AND {SqliteCommands.InProject}", null,
            SqliteCommands.Project, ("@id", batchId), ("@vs", vectorStoreId)).ReadOne(Json.VectorStoreFileBatch);
        if (batch is null)
        {
            return null;
        }

        var (counts, _) = Count(connection, "batch_id = @key", batchId);
        var status = batch.Status == VectorStoreFileStatus.Cancelled ? VectorStoreFileStatus.Cancelled
            : counts.InProgress > 0 ? VectorStoreFileStatus.InProgress
            : VectorStoreFileStatus.Completed;
        return batch with { FileCounts = counts, Status = status };
    }

    public async Task<VectorStoreFileBatch?> CancelBatchAsync(string vectorStoreId, string batchId, CancellationToken cancellationToken)
    {
        var found = await database.WriteAsync((c, t) =>
        {
            var batch = c.Command("SELECT data FROM vector_store_file_batches WHERE id = @id AND vector_store_id = @vs", t,
                ("@id", batchId), ("@vs", vectorStoreId)).ReadOne(Json.VectorStoreFileBatch);
            if (batch is null)
            {
                return false;
            }

            c.Command("UPDATE vector_store_file_batches SET data = @data WHERE id = @id", t,
                ("@id", batchId), ("@data", JsonSerializer.Serialize(batch with { Status = VectorStoreFileStatus.Cancelled }, Json.VectorStoreFileBatch))).Run();
            foreach (var file in c.Command("SELECT data FROM vector_store_files WHERE batch_id = @batch AND status = @status", t,
                ("@batch", batchId), ("@status", VectorStoreFileStatus.InProgress)).ReadAll(Json.VectorStoreFile))
            {
                SetOutcome(c, t, file with { Status = VectorStoreFileStatus.Cancelled }, 0);
            }

            return true;
        }, cancellationToken);

        return found ? await GetBatchAsync(vectorStoreId, batchId, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<PendingIngestion>> PendingAsync(int limit, IReadOnlySet<(string, string)> exclude, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("""
            SELECT vector_store_id, id, chunking_type, max_chunk_tokens, overlap_tokens, data FROM vector_store_files
            WHERE status = @status ORDER BY seq LIMIT @limit
            """, null, ("@status", VectorStoreFileStatus.InProgress), ("@limit", limit + exclude.Count));
        using var reader = command.ExecuteReader();
        var pending = new List<PendingIngestion>();
        while (reader.Read() && pending.Count < limit)
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!exclude.Contains(key))
            {
                var file = JsonSerializer.Deserialize(reader.GetString(5), Json.VectorStoreFile)!;
                var chunking = new ChunkingStrategy(reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4));
                pending.Add(new PendingIngestion(key.Item1, key.Item2, chunking, file.Attributes));
            }
        }

        return pending;
    }

    public Task<bool> FinishAsync(string vectorStoreId, string fileId, string status, long usageBytes, ChunkingStrategyObject? chunking, VectorStoreFileError? error, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            var file = c.Command("SELECT data FROM vector_store_files WHERE vector_store_id = @vs AND id = @id AND status = @status", t,
                ("@vs", vectorStoreId), ("@id", fileId), ("@status", VectorStoreFileStatus.InProgress)).ReadOne(Json.VectorStoreFile);
            if (file is null)
            {
                return false;
            }

            SetOutcome(c, t, file with { Status = status, UsageBytes = usageBytes, LastError = error, ChunkingStrategy = chunking ?? file.ChunkingStrategy }, usageBytes);
            return true;
        }, cancellationToken);

    private static void SetOutcome(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, VectorStoreFile file, long usageBytes) =>
        c.Command("UPDATE vector_store_files SET status = @status, usage_bytes = @usage, data = @data WHERE vector_store_id = @vs AND id = @id", t,
            ("@vs", file.VectorStoreId), ("@id", file.Id), ("@status", file.Status), ("@usage", usageBytes),
            ("@data", JsonSerializer.Serialize(file, Json.VectorStoreFile))).Run();
}
