using System.Runtime.CompilerServices;
using AgentHost.Core.Retrieval;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IChunkStore"/> on SQLite: <c>retrieval_stores</c>, <c>retrieval_files</c>, <c>retrieval_chunks</c>
/// (text, token count, embedding blob) and <c>retrieval_chunk_index</c> (int8 codes and BM25 terms).
/// </summary>
public sealed class SqliteChunkStore(SqliteDatabase database) : IChunkStore
{
    public async Task<IReadOnlyList<string>> StoreIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command("SELECT store_id FROM retrieval_stores ORDER BY rowid");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<ChunkStoreModel?> GetModelAsync(string storeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command("SELECT embedding_model, dimensions FROM retrieval_stores WHERE store_id = @store", null, ("@store", storeId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ChunkStoreModel(reader.GetString(0), reader.GetInt32(1)) : null;
    }

    public async IAsyncEnumerable<ChunkFileRow> ReadFilesAsync(string storeId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command("SELECT file_id, filename, attributes FROM retrieval_files WHERE store_id = @store ORDER BY rowid", null, ("@store", storeId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ChunkFileRow(reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }
    }

    public async IAsyncEnumerable<IndexedChunkRow> ReadIndexedChunksAsync(string storeId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
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

    public async Task<long> CountChunksAsync(string storeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM retrieval_chunks WHERE store_id = @store", null, ("@store", storeId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async IAsyncEnumerable<RawChunkRow> ReadUnindexedChunksAsync(string storeId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
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
        database.WriteAsync((connection, transaction) =>
        {
            connection.Command(
                "INSERT INTO retrieval_stores (store_id, embedding_model, dimensions) VALUES (@store, @model, @dimensions) " +
                "ON CONFLICT (store_id) DO UPDATE SET embedding_model = excluded.embedding_model, dimensions = excluded.dimensions",
                transaction, ("@store", file.StoreId), ("@model", file.EmbeddingModel), ("@dimensions", file.Dimensions)).Run();
            DeleteFile(connection, transaction, file.StoreId, file.FileId);
            connection.Command("INSERT INTO retrieval_files (store_id, file_id, filename, attributes) VALUES (@store, @file, @filename, @attributes)",
                transaction, ("@store", file.StoreId), ("@file", file.FileId), ("@filename", file.Filename), ("@attributes", file.AttributesJson)).Run();

            using var insert = connection.Command(
                "INSERT INTO retrieval_chunks (store_id, file_id, chunk_index, text, token_count, embedding) VALUES (@store, @file, @index, @text, @tokens, @embedding)",
                transaction, ("@store", file.StoreId), ("@file", file.FileId));
            var index = insert.Parameters.Add("@index", SqliteType.Integer);
            var text = insert.Parameters.Add("@text", SqliteType.Text);
            var tokens = insert.Parameters.Add("@tokens", SqliteType.Integer);
            var embedding = insert.Parameters.Add("@embedding", SqliteType.Blob);
            using var insertIndex = connection.Command(
                "INSERT INTO retrieval_chunk_index (store_id, file_id, chunk_index, term_total, scale, codes, terms) VALUES (@store, @file, @index, @total, @scale, @codes, @terms)",
                transaction, ("@store", file.StoreId), ("@file", file.FileId));
            var rowIndex = insertIndex.Parameters.Add("@index", SqliteType.Integer);
            var total = insertIndex.Parameters.Add("@total", SqliteType.Integer);
            var scale = insertIndex.Parameters.Add("@scale", SqliteType.Real);
            var codes = insertIndex.Parameters.Add("@codes", SqliteType.Blob);
            var terms = insertIndex.Parameters.Add("@terms", SqliteType.Blob);
            foreach (var chunk in file.Chunks)
            {
                (index.Value, text.Value, tokens.Value, embedding.Value) = (chunk.ChunkIndex, chunk.Text, chunk.TokenCount, chunk.Embedding);
                insert.ExecuteNonQuery();
                (rowIndex.Value, total.Value, scale.Value, codes.Value, terms.Value) = (chunk.ChunkIndex, chunk.TermTotal, chunk.Scale, chunk.Codes, chunk.Terms);
                insertIndex.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task RemoveFileAsync(string storeId, string fileId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => DeleteFile(connection, transaction, storeId, fileId), cancellationToken);

    public Task DeleteStoreAsync(string storeId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            foreach (var table in new[] { "retrieval_chunks", "retrieval_chunk_index", "retrieval_files", "retrieval_stores" })
            {
                connection.Command($"DELETE FROM {table} WHERE store_id = @store", transaction, ("@store", storeId)).Run();
            }
        }, cancellationToken);

    public Task UpdateAttributesAsync(string storeId, string fileId, string attributesJson, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.Command(
            "UPDATE retrieval_files SET attributes = @attributes WHERE store_id = @store AND file_id = @file", transaction,
            ("@store", storeId), ("@file", fileId), ("@attributes", attributesJson)).Run(), cancellationToken);

    public async Task<IReadOnlyDictionary<(string FileId, int ChunkIndex), string>> GetTextsAsync(
        string storeId, IReadOnlyCollection<(string FileId, int ChunkIndex)> keys, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<(string, int), string>();
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT text FROM retrieval_chunks WHERE store_id = @store AND file_id = @file AND chunk_index = @index", null, ("@store", storeId));
        var file = command.Parameters.Add("@file", SqliteType.Text);
        var index = command.Parameters.Add("@index", SqliteType.Integer);
        foreach (var key in keys)
        {
            (file.Value, index.Value) = (key.FileId, key.ChunkIndex);
            if (await command.ExecuteScalarAsync(cancellationToken) is string text)
            {
                texts[key] = text;
            }
        }

        return texts;
    }

    private static void DeleteFile(SqliteConnection connection, SqliteTransaction transaction, string storeId, string fileId)
    {
        foreach (var table in new[] { "retrieval_chunks", "retrieval_chunk_index", "retrieval_files" })
        {
            connection.Command($"DELETE FROM {table} WHERE store_id = @store AND file_id = @file", transaction, ("@store", storeId), ("@file", fileId)).Run();
        }
    }
}
