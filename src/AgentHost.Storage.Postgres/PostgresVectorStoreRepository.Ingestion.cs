using System.Text.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>Batches and the ingestion queue: files <c>in_progress</c> are the queue, so it survives restarts.</summary>
public sealed partial class PostgresVectorStoreRepository
{
    /// <summary>How long a node's claim on a file it ingests lasts; past it, another node may take the file over.</summary>
    public static readonly TimeSpan IngestionLease = TimeSpan.FromMinutes(2);

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

    /// <summary>
    /// Claims the oldest unclaimed <c>in_progress</c> files for <see cref="IngestionLease"/> (<c>FOR UPDATE SKIP LOCKED</c>),
    /// so each file is ingested by one node; a node that dies leaves its claims to expire and be taken by another.
    /// </summary>
    public Task<IReadOnlyList<PendingIngestion>> PendingAsync(int limit, IReadOnlySet<(string, string)> exclude, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<PendingIngestion>>(async (c, t, ct) =>
        {
            var now = time.GetUtcNow();
            await using var command = c.Command("""
                UPDATE vector_store_files SET lease_until = @until WHERE seq IN (
                    SELECT seq FROM vector_store_files WHERE status = 'in_progress' AND (lease_until IS NULL OR lease_until < @now)
                        AND (vector_store_id, id) NOT IN (SELECT * FROM unnest(@excluded_stores::text[], @excluded_files::text[]))
                    ORDER BY seq LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING seq, vector_store_id, id, chunking_type, max_chunk_tokens, overlap_tokens, data
                """, t, ("@limit", limit), ("@now", now.ToUnixTimeMilliseconds()), ("@until", (now + IngestionLease).ToUnixTimeMilliseconds()),
                ("@excluded_stores", exclude.Select(e => e.Item1).ToArray()), ("@excluded_files", exclude.Select(e => e.Item2).ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var claimed = new List<(long Seq, PendingIngestion Work)>();
            while (await reader.ReadAsync(ct))
            {
                var file = JsonSerializer.Deserialize(reader.GetString(6), Json.VectorStoreFile)!;
                var chunking = new ChunkingStrategy(reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5));
                claimed.Add((reader.GetInt64(0), new PendingIngestion(reader.GetString(1), reader.GetString(2), chunking, file.Attributes)));
            }

            return [.. claimed.OrderBy(c => c.Seq).Select(c => c.Work)];
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
        var batch = await c.Command($"SELECT data FROM vector_store_file_batches WHERE id = @id AND vector_store_id = @vs AND {PostgresCommands.InProject}", t,
            PostgresCommands.Project, ("@id", batchId), ("@vs", vectorStoreId)).ReadOneAsync(Json.VectorStoreFileBatch, ct);
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
