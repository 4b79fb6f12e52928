namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Tenancy (one migration, appended to <see cref="SqliteSchema"/>): projects and their keys, and a <c>project</c> on
/// every table of the Assistants API, files and vector stores, traces and the usage ledger — rows written before it
/// belong to the default project, as PostgreSQL's tables did from their first migration.
/// </summary>
internal static class SqliteTenancySchema
{
    public const string Migration = """
        CREATE TABLE projects (seq INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
            created_at INTEGER NOT NULL, archived_at INTEGER);
        CREATE TABLE project_keys (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
            name TEXT NOT NULL, service_account_id TEXT NOT NULL, redacted_value TEXT NOT NULL, created_at INTEGER NOT NULL,
            key_hash TEXT NOT NULL UNIQUE);
        CREATE INDEX project_keys_by_project ON project_keys (project, seq);
        INSERT INTO projects (project, name, created_at) VALUES ('default', 'Default project', CAST(strftime('%s', 'now') AS INTEGER));
        ALTER TABLE assistants ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE threads ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE messages ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE runs ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE steps ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE files ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE uploads ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE upload_parts ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE vector_stores ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE vector_store_files ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE vector_store_file_batches ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE trace_spans ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE model_calls ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
        """;
}
