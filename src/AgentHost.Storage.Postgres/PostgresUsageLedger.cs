using System.Globalization;
using System.Text;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using Npgsql;
using static AgentHost.Core.Observability.UsageLedgerRows;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IUsageLedger"/> on PostgreSQL: one <c>model_calls</c> row per call and <c>usage_totals</c> running totals
/// per scope, period and (for a session, whose id is the client's) project, written in one transaction (the totals as upserts, so nodes recording at once add up). Money is kept in whole picodollars (10⁻¹² USD), so totals add
/// up exactly: every price in the table is a whole number of picodollars per token.
/// </summary>
public sealed class PostgresUsageLedger(PostgresDatabase database) : IUsageLedger
{

    private const string CallColumns =
        """
        id, started_at, duration_ms, ttft_ms, entry_point, api_key_id, session_id, run_id, thread_id, assistant_id, provider, model,
        served_model, status, error, stop_reason, input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
        reported, input_pusd, cached_pusd, cache_write_pusd, output_pusd, priced_as, tools_offered, tool_calls, project
        """;

    /// <summary>
    /// A session's rows (one per project that used its id) in view: the current project's, every project's when there is
    /// none (the admin, who sees an id's totals summed over its projects). <paramref name="alias"/> names the table.
    /// </summary>
    private static string InSessionProject(string alias) => ProjectScope.Current is null ? "" : $" AND {alias}.project = @project::text";

    /// <summary>The totals of a session's rows in view, in <see cref="ReadSpend"/>'s order.</summary>
    private const string SummedTotals =
        "SUM(t.calls)::bigint, SUM(t.unpriced_calls)::bigint, SUM(t.errors)::bigint, SUM(t.input_tokens)::bigint, SUM(t.cached_tokens)::bigint, " +
        "SUM(t.cache_write_tokens)::bigint, SUM(t.output_tokens)::bigint, SUM(t.input_pusd)::bigint, SUM(t.output_pusd)::bigint, " +
        "SUM(t.cache_pusd)::bigint, MIN(t.first_at), MAX(t.last_at)";

    private const string TotalsColumns =
        "calls, unpriced_calls, errors, input_tokens, cached_tokens, cache_write_tokens, output_tokens, input_pusd, output_pusd, cache_pusd, first_at, last_at";

    private static readonly Dictionary<string, string> GroupColumns = new(StringComparer.Ordinal)
    {
        ["model"] = "COALESCE(served_model, model)",
        ["provider"] = "COALESCE(provider, '')",
        ["run"] = "COALESCE(run_id, '')",
        ["thread"] = "COALESCE(thread_id, '')",
        ["assistant"] = "COALESCE(assistant_id, '')",
        ["api_key"] = "api_key_id",
        ["session"] = "COALESCE(session_id, '')",
        ["entry_point"] = "entry_point",
        ["day"] = "to_char(to_timestamp(started_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        ["hour"] = "to_char(to_timestamp(started_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24\":00Z\"')",
    };

    public Task RecordAsync(ModelCallRecord call, CancellationToken cancellationToken)
    {
        var cost = call.Cost;
        var cached = Picos(cost?.CachedInputUsd);
        var write = Picos(cost?.CacheWriteUsd);
        // A call that produced tokens counts (a cut-off stream's estimate too); one that failed counts as an error.
        var spent = call.Usage is not null;
        var failed = call.Status == ModelCallStatuses.Error;
        var scopes = UsageLedgerRows.TotalsOf(call);

        // One statement, so one round trip holds the totals rows every call adds to (its assistant's, its key's) only while
        // the server runs it; they are locked in one order. A retry after a lost reply adds nothing twice: the totals are
        // added only when the call's row is new.
        var rows = string.Join(", ", scopes.Select((_, i) => $"(@scope{i}, @scope_id{i}, @period{i})"));
        (string, object?)[] parameters =
        [
            .. UsageLedgerRows.CallParameters(call), ("@counted", spent ? 1 : 0), ("@unpriced", spent && cost is null ? 1 : 0),
            ("@errors", failed ? 1 : 0), ("@cache_p", cached + write),
            .. scopes.SelectMany<(string Scope, string Id, string Period), (string, object?)>((s, i) =>
                [($"@scope{i}", s.Scope), ($"@scope_id{i}", s.Id), ($"@period{i}", s.Period)]),
        ];
        var recordCall = $"INSERT INTO model_calls ({CallColumns}) VALUES (@id, @started, @duration, @ttft, @entry, @key, @session, @run, @thread, @assistant, " +
            "@provider, @model, @served, @status, @error, @stop, @input, @cached, @write, @output, @reasoning, @reported, @input_p, @cached_p, " +
            "@write_p, @output_p, @priced_as, @tools, @calls, @project) ON CONFLICT (id) DO NOTHING RETURNING 1";
        var sql = scopes.Count == 0
            ? recordCall
            : $"""
              WITH recorded AS ({recordCall})
              INSERT INTO usage_totals (scope, scope_id, period, project, {TotalsColumns}, last_model)
              SELECT v.scope, v.scope_id, v.period, CASE WHEN v.scope = 'session' THEN @project ELSE '' END, @counted, @unpriced, @errors, @input, @cached, @write, @output, @input_p, @output_p, @cache_p, @started, @started, @model
              FROM (VALUES {rows}) AS v (scope, scope_id, period) CROSS JOIN recorded
              ORDER BY v.scope, v.scope_id, v.period
              ON CONFLICT (scope, scope_id, period, project) DO UPDATE SET calls = usage_totals.calls + excluded.calls,
                  unpriced_calls = usage_totals.unpriced_calls + excluded.unpriced_calls, errors = usage_totals.errors + excluded.errors,
                  input_tokens = usage_totals.input_tokens + excluded.input_tokens, cached_tokens = usage_totals.cached_tokens + excluded.cached_tokens,
                  cache_write_tokens = usage_totals.cache_write_tokens + excluded.cache_write_tokens, output_tokens = usage_totals.output_tokens + excluded.output_tokens,
                  input_pusd = usage_totals.input_pusd + excluded.input_pusd, output_pusd = usage_totals.output_pusd + excluded.output_pusd,
                  cache_pusd = usage_totals.cache_pusd + excluded.cache_pusd, first_at = LEAST(usage_totals.first_at, excluded.first_at),
                  last_at = GREATEST(usage_totals.last_at, excluded.last_at), last_model = excluded.last_model
              """;
        return database.BatchAsync(batch => batch.Add(sql, parameters), cancellationToken);
    }

    public Task<ScopeSpend> GetSpendAsync(string scope, string id, string period, CancellationToken cancellationToken) =>
        scope == SpendScopes.Session
            ? throw new ArgumentException("A session's totals are its project's: read them with GetSessionSpendAsync.", nameof(scope))
            : database.ReadAsync(async (c, ct) =>
            {
                await using var command = c.Command($"SELECT {TotalsColumns} FROM usage_totals WHERE scope = @scope AND scope_id = @id AND period = @period AND project = ''",
                    null, ("@scope", scope), ("@id", id), ("@period", period));
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct) ? ReadSpend(reader, 0) : ScopeSpend.None;
            }, cancellationToken);

    public Task<ScopeSpend> GetSessionSpendAsync(string project, string sessionId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command(
                $"SELECT {TotalsColumns} FROM usage_totals WHERE scope = 'session' AND scope_id = @id AND period = '' AND project = @project",
                null, ("@id", sessionId), ("@project", project));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadSpend(reader, 0) : ScopeSpend.None;
        }, cancellationToken);

    public Task<IReadOnlyList<GatewaySession>> ListSessionsAsync(int limit, string? after, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<GatewaySession>>(async (c, ct) =>
        {
            // The page holds each id once, at its most recent row in view (the admin may see one per project); its totals are
            // then summed over its rows in view. The cursor is the id's most recent activity, so no id is skipped or repeated.
            await using var command = c.Command(
                $"""
                WITH page AS (
                    SELECT u.scope_id, u.last_at, u.last_model FROM usage_totals AS u
                    WHERE u.scope = 'session' AND u.period = ''{InSessionProject("u")}
                        AND NOT EXISTS (SELECT 1 FROM usage_totals AS n WHERE n.scope = 'session' AND n.scope_id = u.scope_id AND n.period = ''{InSessionProject("n")}
                            AND (n.last_at > u.last_at OR (n.last_at = u.last_at AND n.project > u.project)))
                        AND (@after::text IS NULL OR (u.last_at, u.scope_id) < (
                            SELECT MAX(a.last_at), @after::text FROM usage_totals AS a
                            WHERE a.scope = 'session' AND a.scope_id = @after::text AND a.period = ''{InSessionProject("a")}))
                    ORDER BY u.last_at DESC, u.scope_id DESC LIMIT @limit)
                SELECT p.scope_id, p.last_model, {SummedTotals}
                FROM page AS p JOIN usage_totals AS t ON t.scope = 'session' AND t.scope_id = p.scope_id AND t.period = ''{InSessionProject("t")}
                GROUP BY p.scope_id, p.last_at, p.last_model
                ORDER BY p.last_at DESC, p.scope_id DESC
                """, null, ("@after", after), ("@limit", limit), PostgresCommands.Project);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var sessions = new List<GatewaySession>();
            while (await reader.ReadAsync(ct))
            {
                sessions.Add(new GatewaySession { Id = reader.GetString(0), LastModel = reader.IsDBNull(1) ? null : reader.GetString(1), Spend = ReadSpend(reader, 2) });
            }

            return sessions;
        }, cancellationToken);

    public Task<GatewaySession?> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command(
                $"""
                SELECT (SELECT l.last_model FROM usage_totals AS l WHERE l.scope = 'session' AND l.scope_id = @id AND l.period = ''{InSessionProject("l")}
                        ORDER BY l.last_at DESC, l.project DESC LIMIT 1), {SummedTotals}
                FROM usage_totals AS t WHERE t.scope = 'session' AND t.scope_id = @id AND t.period = ''{InSessionProject("t")}
                HAVING COUNT(*) > 0
                """, null, ("@id", id), PostgresCommands.Project);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new GatewaySession { Id = id, LastModel = reader.IsDBNull(0) ? null : reader.GetString(0), Spend = ReadSpend(reader, 1) } : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ModelCallRecord>> ListSessionCallsAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ModelCallRecord>>(async (c, ct) =>
        {
            await using var command = c.Command($"SELECT {CallColumns} FROM model_calls WHERE session_id = @id AND {PostgresCommands.InProject} ORDER BY seq", null, ("@id", id), PostgresCommands.Project);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var calls = new List<ModelCallRecord>();
            while (await reader.ReadAsync(ct))
            {
                calls.Add(ReadCall(reader));
            }

            return calls;
        }, cancellationToken);

    public async Task<IReadOnlyList<UsageTotals>> SumUsageAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        var key = query.GroupBy is null ? "NULL" : GroupColumns.TryGetValue(query.GroupBy, out var column)
            ? column
            : throw new ArgumentException($"Unknown group '{query.GroupBy}'.", nameof(query));
        var sql = new StringBuilder(
            $"""
            SELECT {key}, COUNT(*), SUM(input_tokens)::bigint, SUM(cached_tokens)::bigint, SUM(cache_write_tokens)::bigint, SUM(output_tokens)::bigint,
                SUM(input_pusd + cached_pusd + cache_write_pusd + output_pusd)::bigint, COUNT(*) FILTER (WHERE status = 'error'), AVG(duration_ms)::float8
            FROM model_calls WHERE started_at >= @start AND started_at < @end
            """);
        var parameters = new List<(string, object?)> { ("@start", query.StartMs), ("@end", query.EndMs) };
        void Filter(string column, string? value)
        {
            if (value is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
                parameters.Add(($"@{column}", value));
            }
        }

        Filter("run_id", query.RunId);
        Filter("thread_id", query.ThreadId);
        Filter("assistant_id", query.AssistantId);
        Filter("api_key_id", query.ApiKeyId);
        Filter("session_id", query.SessionId);
        Filter("entry_point", query.EntryPoint);
        sql.Append(CultureInfo.InvariantCulture, $" AND {PostgresCommands.InProject}");
        parameters.Add(PostgresCommands.Project);
        if (query.GroupBy is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" GROUP BY 1 ORDER BY {key} COLLATE \"C\"");
        }

        return await database.ReadAsync<IReadOnlyList<UsageTotals>>(async (c, ct) =>
        {
            await using var command = c.Command(sql.ToString(), null, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<UsageTotals>();
            while (await reader.ReadAsync(ct))
            {
                var calls = reader.GetInt64(1);
                if (calls == 0)
                {
                    continue;
                }

                rows.Add(new UsageTotals
                {
                    Key = reader.IsDBNull(0) ? null : reader.GetString(0),
                    ModelCalls = calls,
                    InputTokens = reader.GetInt64(2),
                    CachedInputTokens = reader.GetInt64(3),
                    CacheWriteTokens = reader.GetInt64(4),
                    OutputTokens = reader.GetInt64(5),
                    CostUsd = reader.GetInt64(6) / PicosPerDollar,
                    Errors = reader.GetInt64(7),
                    AverageDurationMs = reader.GetDouble(8),
                });
            }

            return rows;
        }, cancellationToken);
    }

    /// <summary>A deleted thread's calls keep their spend but lose their link to it; its runs' totals go.</summary>
    internal static async Task ForgetThreadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string threadId, CancellationToken ct)
    {
        await connection.Command("DELETE FROM usage_totals WHERE scope = 'run' AND period = '' AND scope_id IN (SELECT id FROM runs WHERE thread_id = @id)",
            transaction, ("@id", threadId)).RunAsync(ct);
        await connection.Command("UPDATE model_calls SET run_id = NULL, thread_id = NULL WHERE thread_id = @id", transaction, ("@id", threadId)).RunAsync(ct);
    }
}
