using System.Runtime.InteropServices;
using AgentHost.Retrieval.Index;
using AgentHost.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentHost.Retrieval.Persistence;

/// <summary>
/// The durable copy of every store's chunks in the shared SQLite database: text, o200k token count and the
/// embedding as a little-endian float32 blob; beside it (<c>retrieval_chunk_index</c>) the int8 codes and BM25 term
/// counts the in-memory index is rebuilt from on first use after a start.
/// </summary>
internal sealed class ChunkRepository(SqliteDatabase database)
{
    /// <summary>
    /// Builds a store's in-memory index in one sequential scan of <c>retrieval_chunk_index</c> (int8 codes and term
    /// lists, written beside each chunk). Chunks written before that table existed are read and analysed as text.
    /// </summary>
    public async Task<StoreIndex?> LoadAsync(string storeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        StoreIndex store;
        await using (var command = Command(connection, "SELECT embedding_model, dimensions FROM retrieval_stores WHERE store_id = $store", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            store = new StoreIndex(reader.GetString(0), reader.GetInt32(1));
        }

        var files = new Dictionary<string, FileEntry>(StringComparer.Ordinal);
        await using (var command = Command(connection, "SELECT file_id, filename, attributes FROM retrieval_files WHERE store_id = $store ORDER BY rowid", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var fileId = reader.GetString(0);
                files[fileId] = store.BeginStoredFile(fileId, reader.GetString(1), AttributeJson.Read(reader.GetString(2)));
            }
        }

        var indexed = 0L;
        await using (var command = Command(connection,
            "SELECT file_id, chunk_index, term_total, scale, codes, terms FROM retrieval_chunk_index WHERE store_id = $store ORDER BY file_id, chunk_index", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            FileEntry? file = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                var fileId = reader.GetString(0);
                if (file?.FileId != fileId && !files.TryGetValue(fileId, out file))
                {
                    continue;
                }

                var codes = reader.GetFieldValue<byte[]>(4);
                store.AppendStored(file, reader.GetInt32(1), reader.GetInt32(2), reader.GetFloat(3),
                    MemoryMarshal.Cast<byte, sbyte>(codes.AsSpan()), reader.GetFieldValue<byte[]>(5));
                indexed++;
            }
        }

        await using (var count = Command(connection, "SELECT COUNT(*) FROM retrieval_chunks WHERE store_id = $store", storeId))
        {
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! == indexed)
            {
                return store;
            }
        }

        await using (var command = Command(connection,
            "SELECT c.file_id, c.chunk_index, c.text, c.token_count, c.embedding FROM retrieval_chunks c WHERE c.store_id = $store AND NOT EXISTS " +
            "(SELECT 1 FROM retrieval_chunk_index i WHERE i.store_id = c.store_id AND i.file_id = c.file_id AND i.chunk_index = c.chunk_index) " +
            "ORDER BY c.file_id, c.chunk_index", storeId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (files.TryGetValue(reader.GetString(0), out var file))
                {
                    var vector = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(4)).ToArray();
                    store.AppendAnalysed(file, new IndexedChunk(reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), vector));
                }
            }
        }

        return store;
    }

    public async Task<IReadOnlyList<string>> StoreIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT store_id FROM retrieval_stores ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Writes a file's chunks in one transaction, replacing those it had; records the store's model.</summary>
    public Task ReplaceFileAsync(string storeId, string model, int dimensions, string fileId, string filename,
        IReadOnlyDictionary<string, object?> attributes, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
    {
        // The load-time form of each chunk, computed before taking the writer.
        var rows = chunks.Select(chunk =>
        {
            var (total, counts) = StoreIndex.Analyse(chunk.Text);
            var codes = new sbyte[chunk.Vector.Length];
            var scale = QuantizedVectors.Quantize(chunk.Vector, codes);
            return (Total: total, Scale: scale, Codes: MemoryMarshal.AsBytes(codes.AsSpan()).ToArray(), Terms: ChunkTerms.Encode(counts));
        }).ToArray();
        return database.WriteAsync((connection, transaction) =>
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

            using var insertIndex = connection.CreateCommand();
            insertIndex.Transaction = transaction;
            insertIndex.CommandText = "INSERT INTO retrieval_chunk_index (store_id, file_id, chunk_index, term_total, scale, codes, terms) " +
                "VALUES ($store, $file, $index, $total, $scale, $codes, $terms)";
            insertIndex.Parameters.AddWithValue("$store", storeId);
            insertIndex.Parameters.AddWithValue("$file", fileId);
            var rowIndex = insertIndex.Parameters.Add("$index", SqliteType.Integer);
            var total = insertIndex.Parameters.Add("$total", SqliteType.Integer);
            var scale = insertIndex.Parameters.Add("$scale", SqliteType.Real);
            var codes = insertIndex.Parameters.Add("$codes", SqliteType.Blob);
            var terms = insertIndex.Parameters.Add("$terms", SqliteType.Blob);
            for (var i = 0; i < chunks.Count; i++)
            {
                (rowIndex.Value, total.Value, scale.Value, codes.Value, terms.Value) = (chunks[i].ChunkIndex, rows[i].Total, rows[i].Scale, rows[i].Codes, rows[i].Terms);
                insertIndex.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    public Task RemoveFileAsync(string storeId, string fileId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => DeleteFile(connection, transaction, storeId, fileId), cancellationToken);

    public Task DeleteStoreAsync(string storeId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            Execute(connection, transaction, "DELETE FROM retrieval_chunks WHERE store_id = $store", storeId);
            Execute(connection, transaction, "DELETE FROM retrieval_chunk_index WHERE store_id = $store", storeId);
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
        Execute(connection, transaction, "DELETE FROM retrieval_chunk_index WHERE store_id = $store AND file_id = $file", storeId, ("$file", fileId));
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
