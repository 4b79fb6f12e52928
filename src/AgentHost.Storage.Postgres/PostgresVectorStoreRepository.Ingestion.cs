using System.Text.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>Batches and the ingestion queue: files <c>in_progress</c> are the queue, so it survives restarts.</summary>
public sealed partial class PostgresVectorStoreRepository
{
    public Task<VectorStoreFileBatch?> GetBatchAsync(string vectorStoreId, string batchId, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => ReadBatchAsync(c, vectorStoreId, batchId, ct), cancellationToken);

    public Task<VectorStoreFileBatch?> CancelBatchAsync(string vectorStoreId, string batchId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            var batch = await c.Command("SELECT data FROM vector_store_file_batches WHERE id = @id AND vector_store_id = @vs FOR UPDATE", t,
                ("@id", batchId), ("@vs", vectorStoreId)).ReadOneAsync(Json.VectorStoreFileBatch, ct);
            if (batch is null)
            {
                return null;
            }

            await c.Command("UPDATE vector_store_file_batches SET data = @data WHERE id = @id", t,
                ("@id", batchId), ("@data", PostgresCommands.Json(batch with { Status = VectorStoreFileStatus.Cancelled }, Json.VectorStoreFileBatch))).RunAsync(ct);
            foreach (var file in await c.Command("SELECT data FROM vector_store_files WHERE batch_id = @batch AND status = @status FOR UPDATE", t,
                ("@batch", batchId), ("@status", VectorStoreFileStatus.InProgress)).ReadAllAsync(Json.VectorStoreFile, ct))
            {
                await SetOutcomeAsync(c, t, file with { Status = VectorStoreFileStatus.Cancelled }, 0, ct);
            }

            return await ReadBatchAsync(c, vectorStoreId, batchId, ct, t);
        }, cancellationToken);

    public Task<IReadOnlyList<PendingIngestion>> PendingAsync(int limit, IReadOnlySet<(string, string)> exclude, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PendingIngestion>>(async (c, ct) =>
        {
            await using var command = c.Command("""
                SELECT vector_store_id, id, chunking_type, max_chunk_tokens, overlap_tokens, data FROM vector_store_files
                WHERE status = 'in_progress' ORDER BY seq LIMIT @limit
                """, null, ("@limit", limit + exclude.Count));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var pending = new List<PendingIngestion>();
            while (await reader.ReadAsync(ct) && pending.Count < limit)
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
        }, cancellationToken);

    public Task<bool> FinishAsync(string vectorStoreId, string fileId, string status, long usageBytes, ChunkingStrategyObject? chunking, VectorStoreFileError? error, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            var file = await c.Command("SELECT data FROM vector_store_files WHERE vector_store_id = @vs AND id = @id AND status = 'in_progress' FOR UPDATE", t,
                ("@vs", vectorStoreId), ("@id", fileId)).ReadOneAsync(Json.VectorStoreFile, ct);
            if (file is null)
            {
                return false;
            }

            await SetOutcomeAsync(c, t, file with { Status = status, UsageBytes = usageBytes, LastError = error, ChunkingStrategy = chunking ?? file.ChunkingStrategy },
                usageBytes, ct);
            return true;
        }, cancellationToken);

    private static async Task<VectorStoreFileBatch?> ReadBatchAsync(NpgsqlConnection c, string vectorStoreId, string batchId, CancellationToken ct, NpgsqlTransaction? t = null)
    {
        var batch = await c.Command("SELECT data FROM vector_store_file_batches WHERE id = @id AND vector_store_id = @vs", t,
            ("@id", batchId), ("@vs", vectorStoreId)).ReadOneAsync(Json.VectorStoreFileBatch, ct);
        if (batch is null)
        {
            return null;
        }

        var (counts, _) = await CountAsync(c, "batch_id = @key", batchId, ct, t);
        var status = batch.Status == VectorStoreFileStatus.Cancelled ? VectorStoreFileStatus.Cancelled
            : counts.InProgress > 0 ? VectorStoreFileStatus.InProgress
            : VectorStoreFileStatus.Completed;
        return batch with { FileCounts = counts, Status = status };
    }

    private static Task SetOutcomeAsync(NpgsqlConnection c, NpgsqlTransaction t, VectorStoreFile file, long usageBytes, CancellationToken ct) =>
        c.Command("UPDATE vector_store_files SET status = @status, usage_bytes = @usage, data = @data WHERE vector_store_id = @vs AND id = @id", t,
            ("@vs", file.VectorStoreId), ("@id", file.Id), ("@status", file.Status), ("@usage", usageBytes),
            ("@data", PostgresCommands.Json(file, Json.VectorStoreFile))).RunAsync(ct);
}
