using System.Text.Json;
using AgentHost.Core.Json;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IVectorStoreRepository"/> on SQLite. A file's status is a column beside its JSON, so counts, usage and
/// the ingestion queue are plain queries; the store and batch objects get their counts from those on every read.
/// </summary>
public sealed partial class SqliteVectorStoreRepository(SqliteDatabase database, TimeProvider time) : IVectorStoreRepository
{
    private static readonly FileJsonContext Json = FileJsonContext.Default;

    public Task CreateAsync(VectorStore store, IReadOnlyList<NewVectorStoreFile> files, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Command("INSERT INTO vector_stores (id, project, data) VALUES (@id, @write_project, @data)", t,
                ("@id", store.Id), SqliteCommands.WriteProject, ("@data", JsonSerializer.Serialize(store, Json.VectorStore))).Run();
            foreach (var file in files)
            {
                UpsertFile(c, t, store.Id, file, null);
            }
        }, cancellationToken);

    public async Task<VectorStore?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var store = connection.Command($"SELECT data FROM vector_stores WHERE id = @id AND {SqliteCommands.InProject}", null, ("@id", id), SqliteCommands.Project).ReadOne(Json.VectorStore);
        return store is null ? null : WithCounts(connection, store);
    }

    public async Task<Page<VectorStore>> ListAsync(ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var page = connection.ListPage("vector_stores", "1 = 1", [], query, Json.VectorStore);
        return new Page<VectorStore>([.. page.Data.Select(s => WithCounts(connection, s))], page.HasMore);
    }

    public Task UpdateAsync(VectorStore store, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("UPDATE vector_stores SET data = @data WHERE id = @id", t,
            ("@id", store.Id), ("@data", JsonSerializer.Serialize(store with { FileCounts = FileCounts.None, UsageBytes = 0 }, Json.VectorStore))).Run(), cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (c.Command($"SELECT 1 FROM vector_stores WHERE id = @id AND {SqliteCommands.InProject}", t, ("@id", id), SqliteCommands.Project).Scalar() is null)
            {
                return false; // no such vector store in the caller's project
            }

            c.Command("DELETE FROM vector_store_files WHERE vector_store_id = @id", t, ("@id", id)).Run();
            c.Command("DELETE FROM vector_store_file_batches WHERE vector_store_id = @id", t, ("@id", id)).Run();
            return c.Command("DELETE FROM vector_stores WHERE id = @id", t, ("@id", id)).Run() > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<VectorStoreFile>> AddFilesAsync(string vectorStoreId, IReadOnlyList<NewVectorStoreFile> files, VectorStoreFileBatch? batch, CancellationToken cancellationToken)
    {
        await database.WriteAsync((c, t) =>
        {
            if (batch is not null)
            {
                c.Command("INSERT INTO vector_store_file_batches (id, project, vector_store_id, data) VALUES (@id, @write_project, @vs, @data)", t,
                    ("@id", batch.Id), SqliteCommands.WriteProject, ("@vs", vectorStoreId), ("@data", JsonSerializer.Serialize(batch, Json.VectorStoreFileBatch))).Run();
            }

            foreach (var file in files)
            {
                UpsertFile(c, t, vectorStoreId, file, batch?.Id);
            }
        }, cancellationToken);

        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return [.. files.Select(f => ReadFile(connection, vectorStoreId, f.FileId)!)];
    }

    public async Task<VectorStoreFile?> GetFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return ReadFile(connection, vectorStoreId, fileId);
    }

    public async Task<Page<VectorStoreFile>> ListFilesAsync(string vectorStoreId, string? batchId, string? status, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);

        // Paging cursors are file ids, which repeat across stores: page over this store's rows only.
        const string table = "(SELECT * FROM vector_store_files WHERE vector_store_id = @vs)";
        return connection.ListPage(table, "(@batch IS NULL OR batch_id = @batch) AND (@status IS NULL OR status = @status)",
            [("@vs", vectorStoreId), ("@batch", batchId), ("@status", status)], query, Json.VectorStoreFile);
    }

    public async Task<VectorStoreFile?> UpdateAttributesAsync(string vectorStoreId, string fileId, IReadOnlyDictionary<string, JsonElement> attributes, CancellationToken cancellationToken)
    {
        return await database.WriteAsync((c, t) =>
        {
            var file = ReadFile(c, vectorStoreId, fileId, t);
            if (file is null)
            {
                return null;
            }

            file = file with { Attributes = attributes };
            c.Command("UPDATE vector_store_files SET data = @data WHERE vector_store_id = @vs AND id = @id", t,
                ("@vs", vectorStoreId), ("@id", fileId), ("@data", JsonSerializer.Serialize(file, Json.VectorStoreFile))).Run();
            return file;
        }, cancellationToken);
    }

    public Task<bool> RemoveFileAsync(string vectorStoreId, string fileId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("DELETE FROM vector_store_files WHERE vector_store_id = @vs AND id = @id", t,
            ("@vs", vectorStoreId), ("@id", fileId)).Run() > 0, cancellationToken);

    public async Task<IReadOnlyList<string>> StoresOfFileAsync(string fileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("SELECT vector_store_id FROM vector_store_files WHERE id = @id", null, ("@id", fileId));
        using var reader = command.ExecuteReader();
        var stores = new List<string>();
        while (reader.Read())
        {
            stores.Add(reader.GetString(0));
        }

        return stores;
    }

    private void UpsertFile(SqliteConnection c, SqliteTransaction t, string vectorStoreId, NewVectorStoreFile file, string? batchId)
    {
        var stored = new VectorStoreFile
        {
            Id = file.FileId,
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
            VectorStoreId = vectorStoreId,
            ChunkingStrategy = ChunkingStrategyObject.From(file.Chunking),
            Attributes = file.Attributes,
        };
        c.Command("DELETE FROM vector_store_files WHERE vector_store_id = @vs AND id = @id", t, ("@vs", vectorStoreId), ("@id", file.FileId)).Run();
        c.Command("""
            INSERT INTO vector_store_files (id, project, vector_store_id, batch_id, status, usage_bytes, chunking_type, max_chunk_tokens, overlap_tokens, data)
            VALUES (@id, @write_project, @vs, @batch, @status, 0, @type, @max, @overlap, @data)
            """, t,
            ("@id", file.FileId), SqliteCommands.WriteProject, ("@vs", vectorStoreId), ("@batch", batchId), ("@status", VectorStoreFileStatus.InProgress),
            ("@type", file.Chunking.Type), ("@max", file.Chunking.MaxChunkSizeTokens), ("@overlap", file.Chunking.ChunkOverlapTokens),
            ("@data", JsonSerializer.Serialize(stored, Json.VectorStoreFile))).Run();
    }

    private static VectorStoreFile? ReadFile(SqliteConnection connection, string vectorStoreId, string fileId, SqliteTransaction? transaction = null) =>
        connection.Command($"SELECT data FROM vector_store_files WHERE vector_store_id = @vs AND id = @id AND {SqliteCommands.InProject}", transaction,
            SqliteCommands.Project, ("@vs", vectorStoreId), ("@id", fileId)).ReadOne(Json.VectorStoreFile);

    private VectorStore WithCounts(SqliteConnection connection, VectorStore store)
    {
        var (counts, usage) = Count(connection, "vector_store_id = @key", store.Id);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var status = store.ExpiresAt is long expiresAt && now >= expiresAt ? VectorStoreStatus.Expired
            : counts.InProgress > 0 ? VectorStoreStatus.InProgress
            : VectorStoreStatus.Completed;
        return store with { FileCounts = counts, UsageBytes = usage, Status = status };
    }

    private static (FileCounts Counts, long UsageBytes) Count(SqliteConnection connection, string where, string key)
    {
        using var command = connection.Command($"SELECT status, COUNT(*), COALESCE(SUM(usage_bytes), 0) FROM vector_store_files WHERE {where} GROUP BY status", null, ("@key", key));
        using var reader = command.ExecuteReader();
        var byStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        long usage = 0;
        while (reader.Read())
        {
            byStatus[reader.GetString(0)] = reader.GetInt32(1);
            usage += reader.GetInt64(2);
        }

        int Of(string status) => byStatus.GetValueOrDefault(status);
        var counts = new FileCounts(Of(VectorStoreFileStatus.InProgress), Of(VectorStoreFileStatus.Completed), Of(VectorStoreFileStatus.Failed),
            Of(VectorStoreFileStatus.Cancelled), byStatus.Values.Sum());
        return (counts, usage);
    }
}
