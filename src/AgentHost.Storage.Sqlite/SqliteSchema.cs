using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>The schema, as an ordered list of migrations applied once each on start.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE assistants (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
        CREATE TABLE threads (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
        CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL,
            run_id TEXT, status TEXT NOT NULL, data TEXT NOT NULL);
        CREATE INDEX messages_by_thread ON messages (thread_id, seq);
        CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL,
            status TEXT NOT NULL, expires_at INTEGER, lease_owner TEXT, lease_until INTEGER, data TEXT NOT NULL);
        CREATE INDEX runs_by_thread ON runs (thread_id, seq);
        CREATE INDEX runs_by_status ON runs (status);
        CREATE TABLE steps (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, run_id TEXT NOT NULL,
            thread_id TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL);
        CREATE INDEX steps_by_run ON steps (run_id, seq);
        """,
        // Retrieval (src/AgentHost.Retrieval): a store's embedding model, its files' attributes, and chunks with vectors.
        """
        CREATE TABLE retrieval_stores (store_id TEXT PRIMARY KEY, embedding_model TEXT NOT NULL, dimensions INTEGER NOT NULL);
        CREATE TABLE retrieval_files (store_id TEXT NOT NULL, file_id TEXT NOT NULL, filename TEXT NOT NULL,
            attributes TEXT NOT NULL, PRIMARY KEY (store_id, file_id));
        CREATE TABLE retrieval_chunks (store_id TEXT NOT NULL, file_id TEXT NOT NULL, chunk_index INTEGER NOT NULL,
            text TEXT NOT NULL, token_count INTEGER NOT NULL, embedding BLOB NOT NULL, PRIMARY KEY (store_id, file_id, chunk_index));
        """,
        SqliteFileSchema.Migration,
        """
        CREATE TABLE trace_spans (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, run_id TEXT NOT NULL,
            thread_id TEXT NOT NULL, assistant_id TEXT NOT NULL, api_key_id TEXT NOT NULL, kind TEXT NOT NULL, provider TEXT,
            model TEXT, started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL, status TEXT NOT NULL,
            input_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, data TEXT NOT NULL);
        CREATE INDEX trace_spans_by_run ON trace_spans (run_id, seq);
        CREATE INDEX trace_spans_by_thread ON trace_spans (thread_id);
        CREATE INDEX trace_spans_by_time ON trace_spans (started_at);
        """,
        // Retrieval: each chunk's int8 vector and BM25 terms, so a store loads in one scan without re-analysing text.
        """
        CREATE TABLE retrieval_chunk_index (store_id TEXT NOT NULL, file_id TEXT NOT NULL, chunk_index INTEGER NOT NULL,
            term_total INTEGER NOT NULL, scale REAL NOT NULL, codes BLOB NOT NULL, terms BLOB NOT NULL,
            PRIMARY KEY (store_id, file_id, chunk_index)) WITHOUT ROWID;
        """,
        SqliteUsageLedger.Migration,
        SqliteContainerStore.Migration,
        SqliteResponseSchema.Migration,
        // Messages API threads (`thread` on /v1/messages), held by AgentHost: one row per turn.
        SqliteMessageThreadStore.Migration,
        // Model calls recorded before the usage ledger (trace spans only) copied into it.
        SqliteUsageBackfill.Migration,
        // Managed Agents: agent versions, environments, sessions and each session's event log.
        SqliteManagedAgentStore.Migration,
        // Tenancy: projects, their keys, and the project of every row that had none.
        SqliteTenancySchema.Migration,
        // Rate limits: each project's own limits per model, and when each project key was last used.
        SqliteRateLimitSchema.Migration,
        // Long threads: each message's token count kept with it, and the messages of a run indexed.
        SqliteMessageTokensSchema.Migration,
        // Per-key rate limits on runs: the key each run was created with.
        SqliteRunKeySchema.Migration,
        // Session totals per project: two projects using one session id keep separate totals and budgets.
        SqliteSessionTotalsSchema.Migration,
        // Thread attachments: an index of the files attached to each thread's messages per tool type, backfilled.
        SqliteMessageAttachments.Migration,
        // Usage totals: the indexes that list sessions by recency hold session rows only, so a call's run, assistant,
        // key and project totals move no index entry.
        """
        DROP INDEX usage_totals_by_recency;
        DROP INDEX usage_totals_by_project;
        CREATE INDEX usage_totals_by_recency ON usage_totals (scope, last_at, scope_id) WHERE scope = 'session';
        CREATE INDEX usage_totals_by_project ON usage_totals (scope, project, last_at, scope_id) WHERE scope = 'session';
        """,
        // A thread's active run found among its active runs only (as PostgreSQL does), not by reading every run it had:
        // each new run and message on a thread asks.
        "CREATE INDEX runs_active_by_thread ON runs (thread_id) WHERE status IN ('queued', 'in_progress', 'requires_action', 'cancelling')",
    ];

    /// <summary>The migration steps, in order (step N is schema version N).</summary>
    internal static IReadOnlyList<string> Steps => Migrations;

    public static void Migrate(SqliteConnection connection)
    {
        SqliteDatabase.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] + $";\nINSERT INTO schema_version (version) VALUES ({version});";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
