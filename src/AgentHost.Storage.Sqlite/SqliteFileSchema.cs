namespace AgentHost.Storage.Sqlite;

/// <summary>Tables of files, uploads and vector stores (one migration, appended to <see cref="SqliteSchema"/>).</summary>
internal static class SqliteFileSchema
{
    public const string Migration = """
        CREATE TABLE files (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, purpose TEXT NOT NULL, data TEXT NOT NULL);
        CREATE INDEX files_by_purpose ON files (purpose, seq);
        CREATE TABLE uploads (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
        CREATE TABLE upload_parts (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, upload_id TEXT NOT NULL,
            bytes INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE INDEX upload_parts_by_upload ON upload_parts (upload_id, seq);
        CREATE TABLE vector_stores (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
        CREATE TABLE vector_store_files (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,
            vector_store_id TEXT NOT NULL, batch_id TEXT, status TEXT NOT NULL, usage_bytes INTEGER NOT NULL,
            chunking_type TEXT NOT NULL, max_chunk_tokens INTEGER NOT NULL, overlap_tokens INTEGER NOT NULL,
            data TEXT NOT NULL, UNIQUE (vector_store_id, id));
        CREATE INDEX vector_store_files_by_status ON vector_store_files (status, seq);
        CREATE INDEX vector_store_files_by_batch ON vector_store_files (batch_id, seq);
        CREATE TABLE vector_store_file_batches (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
            vector_store_id TEXT NOT NULL, data TEXT NOT NULL);
        """;
}
