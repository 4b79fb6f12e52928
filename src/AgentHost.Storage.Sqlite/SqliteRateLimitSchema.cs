namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Rate limits (one migration, appended to <see cref="SqliteSchema"/>): each project's own limits per model, set through
/// the Admin API, and when each project key was last used. The counters themselves live in the process (one node).
/// </summary>
internal static class SqliteRateLimitSchema
{
    public const string Migration = """
        CREATE TABLE project_rate_limits (project TEXT NOT NULL, model TEXT NOT NULL, max_requests_per_1_minute INTEGER,
            max_tokens_per_1_minute INTEGER, PRIMARY KEY (project, model));
        ALTER TABLE project_keys ADD COLUMN last_used_at INTEGER;
        """;
}
