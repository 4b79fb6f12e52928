namespace AgentHost.Storage.Sqlite;

/// <summary>Tables of responses and conversations (one migration, appended to <see cref="SqliteSchema"/>); every row carries its project.</summary>
internal static class SqliteResponseSchema
{
    public const string Migration = """
        CREATE TABLE responses (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
            previous_response_id TEXT, conversation_id TEXT, created_at INTEGER NOT NULL, output_saved INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE INDEX responses_by_previous ON responses (previous_response_id);
        CREATE TABLE response_items (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, project TEXT NOT NULL,
            response_id TEXT NOT NULL, output INTEGER NOT NULL, data TEXT NOT NULL, UNIQUE (response_id, id));
        CREATE TABLE response_events (project TEXT NOT NULL, response_id TEXT NOT NULL, sequence_number INTEGER NOT NULL,
            data TEXT NOT NULL, PRIMARY KEY (response_id, sequence_number)) WITHOUT ROWID;
        CREATE TABLE conversations (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
            data TEXT NOT NULL);
        CREATE TABLE conversation_items (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, project TEXT NOT NULL,
            conversation_id TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (conversation_id, id));
        CREATE INDEX conversation_items_by_conversation ON conversation_items (conversation_id, seq);
        """;
}
