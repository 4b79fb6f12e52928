using System.Runtime.CompilerServices;
using AgentHost.Core.Retrieval;
using Npgsql;
using NpgsqlTypes;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IChunkStore"/> on PostgreSQL (no pgvector: vectors are <c>bytea</c>, searched in each node's memory). A
/// file's chunks are written with binary <c>COPY</c>, so ingesting a large file is one round trip per table. Every
/// change notifies <see cref="ChangedChannel"/> with the writing node's id and the store id, in the change's transaction,
/// so the other nodes drop their in-memory copy of the store and load it again on next use.
/// </summary>
public sealed class PostgresChunkStore(PostgresDatabase database, PostgresNode? node = null) : IChunkStore
{
    public const string ChangedChannel = "agenthost_vector_store";

    public async Task<IReadOnlyList<string>> StoreIdsAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command("SELECT store_id FROM retrieval_stores ORDER BY seq").ReadStringsAsync(ct), cancellationToken);

    public Task<ChunkStoreModel?> GetModelAsync(string storeId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command("SELECT embedding_model, dimensions FROM retrieval_stores WHERE store_id = @store", null, ("@store", storeId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new ChunkStoreModel(reader.GetString(0), reader.GetInt32(1)) : null;
        }, cancellationToken);

    public async IAsyncEnumerable<ChunkFileRow> ReadFilesAsync(string storeId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT file_id, filename, attributes FROM retrieval_files WHERE store_id = @store ORDER BY seq", null, ("@store", storeId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ChunkFileRow(reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }
    }

    public async IAsyncEnumerable<IndexedChunkRow> ReadIndexedChunksAsync(string storeId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT file_id, chunk_index, term_total, scale, codes, terms FROM retrieval_chunk_index WHERE store_id = @store ORDER BY file_id, chunk_index",
            null, ("@store", storeId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new IndexedChunkRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetFloat(3),
                reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<byte[]>(5));
        }
    }

    public Task<long> CountChunksAsync(string storeId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command("SELECT COUNT(*) FROM retrieval_chunks WHERE store_id = @store", null, ("@store", storeId));
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    public async IAsyncEnumerable<RawChunkRow> ReadUnindexedChunksAsync(string storeId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT c.file_id, c.chunk_index, c.text, c.token_count, c.embedding FROM retrieval_chunks c WHERE c.store_id = @store AND NOT EXISTS " +
            "(SELECT 1 FROM retrieval_chunk_index i WHERE i.store_id = c.store_id AND i.file_id = c.file_id AND i.chunk_index = c.chunk_index) " +
            "ORDER BY c.file_id, c.chunk_index", null, ("@store", storeId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new RawChunkRow(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(4));
        }
    }

    public Task ReplaceFileAsync(FileChunks file, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command(
                "INSERT INTO retrieval_stores (store_id, embedding_model, dimensions) VALUES (@store, @model, @dimensions) " +
                "ON CONFLICT (store_id) DO UPDATE SET embedding_model = excluded.embedding_model, dimensions = excluded.dimensions",
                t, ("@store", file.StoreId), ("@model", file.EmbeddingModel), ("@dimensions", file.Dimensions)).RunAsync(ct);
            await DeleteFileAsync(c, t, file.StoreId, file.FileId, ct);
            await c.Command("INSERT INTO retrieval_files (store_id, file_id, filename, attributes) VALUES (@store, @file, @filename, @attributes)",
                t, ("@store", file.StoreId), ("@file", file.FileId), ("@filename", PostgresText.Clean(file.Filename)), ("@attributes", file.AttributesJson)).RunAsync(ct);

            await using (var copy = await c.BeginBinaryImportAsync(
                "COPY retrieval_chunks (store_id, file_id, chunk_index, text, token_count, embedding) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var chunk in file.Chunks)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(file.StoreId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(file.FileId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(chunk.ChunkIndex, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(PostgresText.Clean(chunk.Text), NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(chunk.TokenCount, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(chunk.Embedding, NpgsqlDbType.Bytea, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await using (var copy = await c.BeginBinaryImportAsync(
                "COPY retrieval_chunk_index (store_id, file_id, chunk_index, term_total, scale, codes, terms) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var chunk in file.Chunks)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(file.StoreId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(file.FileId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(chunk.ChunkIndex, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(chunk.TermTotal, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(chunk.Scale, NpgsqlDbType.Real, ct);
                    await copy.WriteAsync(chunk.Codes, NpgsqlDbType.Bytea, ct);
                    await copy.WriteAsync(chunk.Terms, NpgsqlDbType.Bytea, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await ChangedAsync(c, t, file.StoreId, ct);
        }, cancellationToken);

    public Task RemoveFileAsync(string storeId, string fileId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await DeleteFileAsync(c, t, storeId, fileId, ct);
            await ChangedAsync(c, t, storeId, ct);
        }, cancellationToken);

    public Task DeleteStoreAsync(string storeId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            foreach (var table in new[] { "retrieval_chunks", "retrieval_chunk_index", "retrieval_files", "retrieval_stores" })
            {
                await c.Command($"DELETE FROM {table} WHERE store_id = @store", t, ("@store", storeId)).RunAsync(ct);
            }

            await ChangedAsync(c, t, storeId, ct);
        }, cancellationToken);

    public Task UpdateAttributesAsync(string storeId, string fileId, string attributesJson, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("UPDATE retrieval_files SET attributes = @attributes WHERE store_id = @store AND file_id = @file", t,
                ("@store", storeId), ("@file", fileId), ("@attributes", attributesJson)).RunAsync(ct);
            await ChangedAsync(c, t, storeId, ct);
        }, cancellationToken);

    /// <summary>Reads a notification on <see cref="ChangedChannel"/>: the store another node changed, or null for this node's own change.</summary>
    public static string? ChangedElsewhere(string payload, PostgresNode here)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && !payload.AsSpan(0, space).SequenceEqual(here.Id) ? payload[(space + 1)..] : null;
    }

    /// <summary>Delivered when the transaction commits, to every node listening.</summary>
    private Task ChangedAsync(NpgsqlConnection c, NpgsqlTransaction t, string storeId, CancellationToken ct) =>
        c.Command($"SELECT pg_notify('{ChangedChannel}', @payload)", t, ("@payload", $"{node?.Id ?? "-"} {storeId}")).RunAsync(ct);

    public Task<IReadOnlyDictionary<(string FileId, int ChunkIndex), string>> GetTextsAsync(
        string storeId, IReadOnlyCollection<(string FileId, int ChunkIndex)> keys, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<(string FileId, int ChunkIndex), string>>(async (c, ct) =>
        {
            // One round trip for every key: the keys as two parallel arrays, joined back on (file, index).
            await using var command = c.Command(
                "SELECT c.file_id, c.chunk_index, c.text FROM retrieval_chunks c JOIN unnest(@files, @indexes) AS k(file_id, chunk_index) " +
                "ON c.file_id = k.file_id AND c.chunk_index = k.chunk_index WHERE c.store_id = @store", null,
                ("@store", storeId), ("@files", keys.Select(k => k.FileId).ToArray()), ("@indexes", keys.Select(k => k.ChunkIndex).ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var texts = new Dictionary<(string, int), string>();
            while (await reader.ReadAsync(ct))
            {
                texts[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
            }

            return texts;
        }, cancellationToken);

    private static async Task DeleteFileAsync(NpgsqlConnection c, NpgsqlTransaction t, string storeId, string fileId, CancellationToken ct)
    {
        foreach (var table in new[] { "retrieval_chunks", "retrieval_chunk_index", "retrieval_files" })
        {
            await c.Command($"DELETE FROM {table} WHERE store_id = @store AND file_id = @file", t, ("@store", storeId), ("@file", fileId)).RunAsync(ct);
        }
    }
}
