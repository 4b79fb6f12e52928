namespace AgentHost.Storage.Sqlite;

/// <summary>
/// The upgrade to the usage ledger: model calls recorded before it existed live only as <c>trace_spans</c> rows, so
/// this migration step copies each such span (one with no <c>model_calls</c> row of the same id) into
/// <c>model_calls</c> and adds it to the <c>usage_totals</c> of its run, session, assistant-month and key-month.
/// Usage reports and this month's budgets then count what was spent before the upgrade. The spans stay as they are.
/// </summary>
internal static class SqliteUsageBackfill
{
    public const string Migration =
        """
        CREATE TEMP TABLE usage_backfill AS
        SELECT s.id, s.started_at, s.duration_ms, json_extract(s.data, '$.time_to_first_update_ms') AS ttft_ms,
            COALESCE(json_extract(s.data, '$.entry_point'), 'assistants') AS entry_point, s.api_key_id, s.session_id,
            NULLIF(s.run_id, '') AS run_id, NULLIF(s.thread_id, '') AS thread_id, NULLIF(s.assistant_id, '') AS assistant_id,
            s.provider, COALESCE(json_extract(s.data, '$.model'), s.model, '') AS model, json_extract(s.data, '$.response_model') AS served_model,
            s.status, json_extract(s.data, '$.error') AS error, s.input_tokens, s.cached_tokens, s.cache_write_tokens, s.output_tokens,
            COALESCE(json_extract(s.data, '$.usage.reasoning_tokens'), 0) AS reasoning_tokens,
            COALESCE(json_extract(s.data, '$.usage.reported'), 1) AS reported,
            CASE WHEN json_type(s.data, '$.cost') = 'object'
                THEN CAST(ROUND(COALESCE(json_extract(s.data, '$.cost.input_usd'), 0) * 1e12) AS INTEGER)
                ELSE CAST(ROUND(s.cost_usd * 1e12) AS INTEGER) END AS input_pusd,
            CAST(ROUND(COALESCE(json_extract(s.data, '$.cost.cached_input_usd'), 0) * 1e12) AS INTEGER) AS cached_pusd,
            CAST(ROUND(COALESCE(json_extract(s.data, '$.cost.cache_write_usd'), 0) * 1e12) AS INTEGER) AS cache_write_pusd,
            CAST(ROUND(COALESCE(json_extract(s.data, '$.cost.output_usd'), 0) * 1e12) AS INTEGER) AS output_pusd,
            CASE WHEN json_type(s.data, '$.cost') = 'object' THEN json_extract(s.data, '$.cost.priced_as')
                WHEN s.cost_usd > 0 THEN 'backfilled' END AS priced_as,
            COALESCE(json_array_length(s.data, '$.request.tools'), 0) AS tools_offered,
            (s.input_tokens + s.output_tokens > 0 OR s.status = 'ok') AS spent
        FROM trace_spans AS s
        WHERE s.kind = 'model_call' AND NOT EXISTS (SELECT 1 FROM model_calls AS m WHERE m.id = s.id);

        INSERT INTO model_calls (id, started_at, duration_ms, ttft_ms, entry_point, api_key_id, session_id, run_id, thread_id, assistant_id,
            provider, model, served_model, status, error, stop_reason, input_tokens, cached_tokens, cache_write_tokens, output_tokens,
            reasoning_tokens, reported, input_pusd, cached_pusd, cache_write_pusd, output_pusd, priced_as, tools_offered, tool_calls)
        SELECT id, started_at, duration_ms, ttft_ms, entry_point, api_key_id, session_id, run_id, thread_id, assistant_id, provider, model,
            served_model, status, error, NULL, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, reported,
            input_pusd, cached_pusd, cache_write_pusd, output_pusd, priced_as, tools_offered, ''
        FROM usage_backfill ORDER BY started_at;

        INSERT INTO usage_totals (scope, scope_id, period, calls, unpriced_calls, errors, input_tokens, cached_tokens, cache_write_tokens,
            output_tokens, input_pusd, output_pusd, cache_pusd, first_at, last_at, last_model)
        SELECT scope, scope_id, period, SUM(spent), SUM(spent AND priced_as IS NULL), SUM(status = 'error'), SUM(input_tokens),
            SUM(cached_tokens), SUM(cache_write_tokens), SUM(output_tokens), SUM(input_pusd), SUM(output_pusd),
            SUM(cached_pusd + cache_write_pusd), MIN(started_at), MAX(started_at), MAX(model)
        FROM (
            SELECT 'run' AS scope, run_id AS scope_id, '' AS period, * FROM usage_backfill WHERE run_id IS NOT NULL
            UNION ALL SELECT 'session', session_id, '', * FROM usage_backfill WHERE session_id IS NOT NULL
            UNION ALL SELECT 'assistant', assistant_id, strftime('%Y-%m', started_at / 1000, 'unixepoch'), * FROM usage_backfill WHERE assistant_id IS NOT NULL
            UNION ALL SELECT 'api_key', api_key_id, strftime('%Y-%m', started_at / 1000, 'unixepoch'), * FROM usage_backfill)
        WHERE true
        GROUP BY scope, scope_id, period
        ON CONFLICT (scope, scope_id, period) DO UPDATE SET calls = calls + excluded.calls,
            unpriced_calls = unpriced_calls + excluded.unpriced_calls, errors = errors + excluded.errors,
            input_tokens = input_tokens + excluded.input_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
            cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens, output_tokens = output_tokens + excluded.output_tokens,
            input_pusd = input_pusd + excluded.input_pusd, output_pusd = output_pusd + excluded.output_pusd,
            cache_pusd = cache_pusd + excluded.cache_pusd, first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at);

        DROP TABLE usage_backfill;
        """;
}
