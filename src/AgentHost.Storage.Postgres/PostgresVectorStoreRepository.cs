using System.Text.Json;
using AgentHost.Core.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IVectorStoreRepository"/> on PostgreSQL. A file's status is a column beside its JSON, so counts, usage
/// and the ingestion queue are plain queries; the store and batch objects get their counts from those on every read.
/// </summary>
public sealed partial class PostgresVectorStoreRepository(PostgresDatabase database, TimeProvider time) : IVectorStoreRepository
{
    private static readonly FileJsonContext Json = FileJsonContext.Default;

    public Task CreateAsync(VectorStore store, IReadOnlyList<NewVectorStoreFile> files, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("INSERT INTO vector_stores (id, project, data) VALUES (@id, @write_project, @data)", t,
                ("@id", store.Id), PostgresCommands.WriteProject, ("@data", PostgresCommands.Json(store, Json.VectorStore))).RunAsync(ct);
            foreach (var file in files)
            {
                await UpsertFileAsync(c, t, store.Id, file, null, ct);
            }
        }, cancellationToken);

    public Task<VectorStore?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var store = await c.Command($"SELECT data FROM vector_stores WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project).ReadOneAsync(Json.VectorStore, ct);
            return store is null ? null : await WithCountsAsync(c, store, ct);
        }, cancellationToken);

    public Task<Page<VectorStore>> ListAsync(ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var page = await c.ListPageAsync("vector_stores", "TRUE", [], query, Json.VectorStore, ct);
            var stores = new List<VectorStore>(page.Data.Count);
            foreach (var store in page.Data)
            {
                stores.Add(await WithCountsAsync(c, store, ct));
            }

            return new Page<VectorStore>(stores, page.HasMore);
        }, cancellationToken);

    public Task UpdateAsync(VectorStore store, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("UPDATE vector_stores SET data = @data WHERE id = @id", t,
            ("@id", store.Id), ("@data", PostgresCommands.Json(store with { FileCounts = FileCounts.None, UsageBytes = 0 }, Json.VectorStore))).RunAsync(ct),
            cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await using (var owned = c.Command($"SELECT 1 FROM vector_stores WHERE id = @id AND {PostgresCommands.InProject}", t, ("@id", id), PostgresCommands.Project))
            {
                if (await owned.ExecuteScalarAsync(ct) is null)
                {
                    return false; // no such vector store in the caller's project
                }
            }

            await c.Command("DELETE FROM vector_store_files WHERE vector_store_id = @id", t, ("@id", id)).RunAsync(ct);
            await c.Command("DELETE FROM vector_store_file_batches WHERE vector_store_id = @id", t, ("@id", id)).RunAsync(ct);
            return await c.Command("DELETE FROM vector_stores WHERE id = @id", t, ("@id", id)).RunAsync(ct) > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<VectorStoreFile>> AddFilesAsync(string vectorStoreId, IReadOnlyList<NewVectorStoreFile> files, VectorStoreFileBatch? batch, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async (c, t, ct) =>
        {
            if (batch is not null)
            {
                await c.Command("INSERT INTO vector_store_file_batches (id, project, vector_store_id, data) VALUES (@id, @write_project, @vs, @data)", t,
                    ("@id", batch.Id), PostgresCommands.WriteProject, ("@vs", vectorStoreId), ("@data", PostgresCommands.Json(batch, Json.VectorStoreFileBatch))).RunAsync(ct);
            }

            var stored = new List<VectorStoreFile>(files.Count);
            foreach (var file in files)
            {
                stored.Add(await UpsertFileAsync(c, t, vectorStoreId, file, batch?.Id, ct));
            }

            return stored;
        }, cancellationToken);
    }

    public Task<VectorStoreFile?> GetFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => ReadFileAsync(c, null, vectorStoreId, fileId, ct), cancellationToken);

    public Task<Page<VectorStoreFile>> ListFilesAsync(string vectorStoreId, string? batchId, string? status, ListQuery query, CancellationToken cancellationToken)
    {
        // Paging cursors are file ids, which repeat across stores: page over this store's rows only.
        var filter = "vector_store_id = @vs";
        var parameters = new List<(string, object?)> { ("@vs", vectorStoreId) };
        if (batchId is not null)
        {
            filter += " AND batch_id = @batch";
            parameters.Add(("@batch", batchId));
        }

        if (status is not null)
        {
            filter += " AND status = @status";
            parameters.Add(("@status", status));
        }

        return database.ReadAsync((c, ct) => c.ListPageAsync("(SELECT * FROM vector_store_files WHERE vector_store_id = @vs)", filter, [.. parameters], query,
            Json.VectorStoreFile, ct), cancellationToken);
    }

    public Task<VectorStoreFile?> UpdateAttributesAsync(string vectorStoreId, string fileId, IReadOnlyDictionary<string, JsonElement> attributes, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            var file = await ReadFileAsync(c, t, vectorStoreId, fileId, ct, forUpdate: true);
            if (file is null)
            {
                return null;
            }

            file = file with { Attributes = attributes };
            await c.Command("UPDATE vector_store_files SET data = @data WHERE vector_store_id = @vs AND id = @id", t,
                ("@vs", vectorStoreId), ("@id", fileId), ("@data", PostgresCommands.Json(file, Json.VectorStoreFile))).RunAsync(ct);
            return file;
        }, cancellationToken);

    public Task<bool> RemoveFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("DELETE FROM vector_store_files WHERE vector_store_id = @vs AND id = @id", t,
            ("@vs", vectorStoreId), ("@id", fileId)).RunAsync(ct) > 0, cancellationToken);

    public async Task<IReadOnlyList<string>> StoresOfFileAsync(string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command("SELECT vector_store_id FROM vector_store_files WHERE id = @id", null, ("@id", fileId)).ReadStringsAsync(ct),
            cancellationToken);

    private async Task<VectorStoreFile> UpsertFileAsync(NpgsqlConnection c, NpgsqlTransaction t, string vectorStoreId, NewVectorStoreFile file, string? batchId, CancellationToken ct)
    {
        var stored = new VectorStoreFile
        {
            Id = file.FileId,
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
            VectorStoreId = vectorStoreId,
            ChunkingStrategy = ChunkingStrategyObject.From(file.Chunking),
            Attributes = file.Attributes,
        };

        // Re-adding a file starts it over, at the end of the queue.
        await c.Command("DELETE FROM vector_store_files WHERE vector_store_id = @vs AND id = @id", t, ("@vs", vectorStoreId), ("@id", file.FileId)).RunAsync(ct);
        await c.Command("""
            INSERT INTO vector_store_files (id, project, vector_store_id, batch_id, status, usage_bytes, chunking_type, max_chunk_tokens, overlap_tokens, data)
            VALUES (@id, @write_project, @vs, @batch, @status, 0, @type, @max, @overlap, @data)
            """, t,
            ("@id", file.FileId), PostgresCommands.WriteProject, ("@vs", vectorStoreId), ("@batch", batchId), ("@status", VectorStoreFileStatus.InProgress),
            ("@type", file.Chunking.Type), ("@max", file.Chunking.MaxChunkSizeTokens), ("@overlap", file.Chunking.ChunkOverlapTokens),
            ("@data", PostgresCommands.Json(stored, Json.VectorStoreFile))).RunAsync(ct);
        return stored;
    }

    private static Task<VectorStoreFile?> ReadFileAsync(NpgsqlConnection c, NpgsqlTransaction? t, string vectorStoreId, string fileId, CancellationToken ct, bool forUpdate = false) =>
        c.Command($"SELECT data FROM vector_store_files WHERE vector_store_id = @vs AND id = @id{(forUpdate ? " FOR UPDATE" : string.Empty)}", t,
            ("@vs", vectorStoreId), ("@id", fileId)).ReadOneAsync(Json.VectorStoreFile, ct);

    private async Task<VectorStore> WithCountsAsync(NpgsqlConnection c, VectorStore store, CancellationToken ct)
    {
        var (counts, usage) = await CountAsync(c, "vector_store_id = @key", store.Id, ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var status = store.ExpiresAt is long expiresAt && now >= expiresAt ? VectorStoreStatus.Expired
            : counts.InProgress > 0 ? VectorStoreStatus.InProgress
            : VectorStoreStatus.Completed;
        return store with { FileCounts = counts, UsageBytes = usage, Status = status };
    }

    private static async Task<(FileCounts Counts, long UsageBytes)> CountAsync(NpgsqlConnection c, string where, string key, CancellationToken ct, NpgsqlTransaction? t = null)
    {
        await using var command = c.Command($"SELECT status, COUNT(*), COALESCE(SUM(usage_bytes), 0)::bigint FROM vector_store_files WHERE {where} GROUP BY status",
            t, ("@key", key));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var byStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        long usage = 0;
        while (await reader.ReadAsync(ct))
        {
            byStatus[reader.GetString(0)] = (int)reader.GetInt64(1);
            usage += reader.GetInt64(2);
        }

        int Of(string status) => byStatus.GetValueOrDefault(status);
        var counts = new FileCounts(Of(VectorStoreFileStatus.InProgress), Of(VectorStoreFileStatus.Completed), Of(VectorStoreFileStatus.Failed),
            Of(VectorStoreFileStatus.Cancelled), byStatus.Values.Sum());
        return (counts, usage);
    }
}
