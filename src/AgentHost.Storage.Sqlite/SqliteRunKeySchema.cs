namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Per-key rate limits on runs (one migration, appended to <see cref="SqliteSchema"/>): the key a run was created with
/// (<c>runs.api_key</c>, the key's id — never its value), so the worker counts the run's model calls against that key's
/// limits. Runs created before have none and count against their project's limits only.
/// </summary>
internal static class SqliteRunKeySchema
{
    public const string Migration = "ALTER TABLE runs ADD COLUMN api_key TEXT";
}
