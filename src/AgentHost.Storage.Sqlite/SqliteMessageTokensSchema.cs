namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Long threads (one migration, appended to <see cref="SqliteSchema"/>): each message's prompt token count, stored when it
/// is written with the key of what counted it (<c>tokens</c>, <c>tokens_key</c>; rows written before have none and are
/// counted when read), and an index for the messages of a run. The thread's newest-first reads use
/// <c>messages_by_thread</c> (thread, seq) backwards.
/// </summary>
internal static class SqliteMessageTokensSchema
{
    public const string Migration = """
        ALTER TABLE messages ADD COLUMN tokens INTEGER;
        ALTER TABLE messages ADD COLUMN tokens_key TEXT;
        CREATE INDEX messages_by_run ON messages (run_id, seq) WHERE run_id IS NOT NULL;
        """;
}
