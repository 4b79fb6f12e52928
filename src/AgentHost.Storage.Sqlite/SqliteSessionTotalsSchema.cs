namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Session totals per project (one migration, appended to <see cref="SqliteSchema"/>): <c>usage_totals</c> gains a
/// <c>project</c> in its key, so two projects using the same client-chosen session id keep separate totals and budgets.
/// A session's row is its project's; every other scope's row has <c>''</c> (its id belongs to one project). The table is
/// rebuilt because SQLite cannot change a primary key. A session row written before belongs to the project of its
/// calls (the default project when none is left); a session whose calls were made in more than one project is split,
/// each project's totals added up again from its <c>model_calls</c> — a call counts when it produced tokens or did not
/// fail, as <see cref="SqliteUsageBackfill"/> counts.
/// </summary>
internal static class SqliteSessionTotalsSchema
{
    public const string Migration =
        """
        CREATE TABLE usage_totals_rebuilt (scope TEXT NOT NULL, scope_id TEXT NOT NULL, period TEXT NOT NULL, project TEXT NOT NULL,
            calls INTEGER NOT NULL, unpriced_calls INTEGER NOT NULL, errors INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
            cached_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, input_pusd INTEGER NOT NULL,
            output_pusd INTEGER NOT NULL, cache_pusd INTEGER NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, last_model TEXT,
            PRIMARY KEY (scope, scope_id, period, project)) WITHOUT ROWID;

        CREATE TEMP TABLE shared_sessions AS
        SELECT session_id FROM model_calls WHERE session_id IS NOT NULL GROUP BY session_id HAVING COUNT(DISTINCT project) > 1;

        INSERT INTO usage_totals_rebuilt (scope, scope_id, period, project, calls, unpriced_calls, errors, input_tokens, cached_tokens,
            cache_write_tokens, output_tokens, input_pusd, output_pusd, cache_pusd, first_at, last_at, last_model)
        SELECT scope, scope_id, period,
            CASE WHEN scope = 'session'
                THEN COALESCE((SELECT m.project FROM model_calls AS m WHERE m.session_id = u.scope_id LIMIT 1), 'default')
                ELSE '' END,
            calls, unpriced_calls, errors, input_tokens, cached_tokens, cache_write_tokens, output_tokens, input_pusd, output_pusd,
            cache_pusd, first_at, last_at, last_model
        FROM usage_totals AS u
        WHERE NOT (scope = 'session' AND scope_id IN (SELECT session_id FROM temp.shared_sessions));

        INSERT INTO usage_totals_rebuilt (scope, scope_id, period, project, calls, unpriced_calls, errors, input_tokens, cached_tokens,
            cache_write_tokens, output_tokens, input_pusd, output_pusd, cache_pusd, first_at, last_at, last_model)
        SELECT 'session', m.session_id, '', m.project, SUM(m.input_tokens + m.output_tokens > 0 OR m.status <> 'error'),
            SUM((m.input_tokens + m.output_tokens > 0 OR m.status <> 'error') AND m.priced_as IS NULL), SUM(m.status = 'error'),
            SUM(m.input_tokens), SUM(m.cached_tokens), SUM(m.cache_write_tokens), SUM(m.output_tokens), SUM(m.input_pusd),
            SUM(m.output_pusd), SUM(m.cached_pusd + m.cache_write_pusd), MIN(m.started_at), MAX(m.started_at),
            (SELECT l.model FROM model_calls AS l WHERE l.session_id = m.session_id AND l.project = m.project ORDER BY l.seq DESC LIMIT 1)
        FROM model_calls AS m
        WHERE m.session_id IN (SELECT session_id FROM temp.shared_sessions)
        GROUP BY m.session_id, m.project;

        DROP TABLE temp.shared_sessions;
        DROP TABLE usage_totals;
        ALTER TABLE usage_totals_rebuilt RENAME TO usage_totals;
        CREATE INDEX usage_totals_by_recency ON usage_totals (scope, last_at, scope_id);
        CREATE INDEX usage_totals_by_project ON usage_totals (scope, project, last_at, scope_id);
        """;
}
