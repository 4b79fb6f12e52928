using System.Runtime.InteropServices;
using AgentHost.Retrieval.Index;
using AgentHost.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentHost.Retrieval.Persistence;

/// <summary>
/// The durable copy of every store's chunks in the shared SQLite database: text, o200k token count and the
/// embedding as a little-endian float32 blob. The in-memory index is rebuilt from it on first use after a start.
/// </summary>
internal sealed class ChunkRepository(SqliteDatabase database)
{
    public async Task<StoredStore?> LoadAsync(string storeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        string model;
        int dimensions;
        await using (var command = Command(connection, "SELECT embedding_model, dimensions FROM retrieval_stores WHERE store_id = $store", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (model, dimensions) = (reader.GetString(0), reader.GetInt32(1));
        }

        var files = new Dictionary<string, StoredIndexFile>(StringComparer.Ordinal);
        await using (var command = Command(connection, "SELECT file_id, filename, attributes FROM retrieval_files WHERE store_id = $store ORDER BY rowid", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var fileId = reader.GetString(0);
                files[fileId] = new StoredIndexFile(fileId, reader.GetString(1), AttributeJson.Read(reader.GetString(2)), []);
            }
        }

        await using (var command = Command(connection,
            "SELECT file_id, chunk_index, text, token_count, embedding FROM retrieval_chunks WHERE store_id = $store ORDER BY file_id, chunk_index", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (files.TryGetValue(reader.GetString(0), out var file))
                {
                    var vector = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(4)).ToArray();
                    file.Chunks.Add(new IndexedChunk(reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), vector));
                }
            }
        }

        return new StoredStore(model, dimensions, [.. files.Values]);
    }

    /// <summary>Writes a file's chunks in one transaction, replacing those it had; records the store's model.</summary>
    public Task ReplaceFileAsync(string storeId, string model, int dimensions, string fileId, string filename,
        IReadOnlyDictionary<string, object?> attributes, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            Execute(connection, transaction,
                "INSERT INTO retrieval_stores (store_id, embedding_model, dimensions) VALUES ($store, $model, $dimensions) " +
                "ON CONFLICT (store_id) DO UPDATE SET embedding_model = excluded.embedding_model, dimensions = excluded.dimensions",
                storeId, ("$model", model), ("$dimensions", dimensions));
            DeleteFile(connection, transaction, storeId, fileId);
            Execute(connection, transaction,
                "INSERT INTO retrieval_files (store_id, file_id, filename, attributes) VALUES ($store, $file, $filename, $attributes)",
                storeId, ("$file", fileId), ("$filename", filename), ("$attributes", AttributeJson.Write(attributes)));

            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO retrieval_chunks (store_id, file_id, chunk_index, text, token_count, embedding) " +
                "VALUES ($store, $file, $index, $text, $tokens, $embedding)";
            insert.Parameters.AddWithValue("$store", storeId);
            insert.Parameters.AddWithValue("$file", fileId);
            var index = insert.Parameters.Add("$index", SqliteType.Integer);
            var text = insert.Parameters.Add("$text", SqliteType.Text);
            var tokens = insert.Parameters.Add("$tokens", SqliteType.Integer);
            var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
            foreach (var chunk in chunks)
            {
                (index.Value, text.Value, tokens.Value) = (chunk.ChunkIndex, chunk.Text, chunk.TokenCount);
                embedding.Value = MemoryMarshal.AsBytes(chunk.Vector.AsSpan()).ToArray();
                insert.ExecuteNonQuery();
            }
        }, cancellationToken);

    public Task RemoveFileAsync(string storeId, string fileId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => DeleteFile(connection, transaction, storeId, fileId), cancellationToken);

    public Task DeleteStoreAsync(string storeId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            Execute(connection, transaction, "DELETE FROM retrieval_chunks WHERE store_id = $store", storeId);
            Execute(connection, transaction, "DELETE FROM retrieval_files WHERE store_id = $store", storeId);
            Execute(connection, transaction, "DELETE FROM retrieval_stores WHERE store_id = $store", storeId);
        }, cancellationToken);

    public Task UpdateAttributesAsync(string storeId, string fileId, IReadOnlyDictionary<string, object?> attributes, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => Execute(connection, transaction,
            "UPDATE retrieval_files SET attributes = $attributes WHERE store_id = $store AND file_id = $file",
            storeId, ("$file", fileId), ("$attributes", AttributeJson.Write(attributes))), cancellationToken);

    /// <summary>The text of the given chunks of one store, keyed by (file id, chunk index).</summary>
    public async Task<Dictionary<(string FileId, int ChunkIndex), string>> GetTextsAsync(
        string storeId, IReadOnlyCollection<(string FileId, int ChunkIndex)> keys, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<(string, int), string>();
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT text FROM retrieval_chunks WHERE store_id = $store AND file_id = $file AND chunk_index = $index", storeId);
        var file = command.Parameters.Add("$file", SqliteType.Text);
        var index = command.Parameters.Add("$index", SqliteType.Integer);
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
        Execute(connection, transaction, "DELETE FROM retrieval_chunks WHERE store_id = $store AND file_id = $file", storeId, ("$file", fileId));
        Execute(connection, transaction, "DELETE FROM retrieval_files WHERE store_id = $store AND file_id = $file", storeId, ("$file", fileId));
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string storeId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$store", storeId);
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, string storeId, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, storeId);
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
