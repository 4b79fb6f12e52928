using System.Globalization;
using System.Text;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;
using static AgentHost.Core.Observability.UsageLedgerRows;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IUsageLedger"/> on SQLite: one <c>model_calls</c> row per call and <c>usage_totals</c> running totals
/// per scope, period and (for a session, whose id is the client's) project, written in one transaction. Money is kept in whole picodollars (10⁻¹² USD), so totals add
/// up exactly: every price in the table is a whole number of picodollars per token.
/// </summary>
public sealed class SqliteUsageLedger(SqliteDatabase database) : IUsageLedger
{
    internal const string Migration =
        """
        CREATE TABLE model_calls (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, started_at INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL, ttft_ms INTEGER, entry_point TEXT NOT NULL, api_key_id TEXT NOT NULL, session_id TEXT,
            run_id TEXT, thread_id TEXT, assistant_id TEXT, provider TEXT, model TEXT NOT NULL, served_model TEXT,
            status TEXT NOT NULL, error TEXT, stop_reason TEXT, input_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL,
            reported INTEGER NOT NULL, input_pusd INTEGER NOT NULL, cached_pusd INTEGER NOT NULL, cache_write_pusd INTEGER NOT NULL,
            output_pusd INTEGER NOT NULL, priced_as TEXT, tools_offered INTEGER NOT NULL, tool_calls TEXT NOT NULL);
        CREATE INDEX model_calls_by_time ON model_calls (started_at);
        CREATE INDEX model_calls_by_session ON model_calls (session_id, seq) WHERE session_id IS NOT NULL;
        CREATE INDEX model_calls_by_thread ON model_calls (thread_id) WHERE thread_id IS NOT NULL;
        CREATE INDEX model_calls_by_run ON model_calls (run_id) WHERE run_id IS NOT NULL;
        CREATE TABLE usage_totals (scope TEXT NOT NULL, scope_id TEXT NOT NULL, period TEXT NOT NULL, calls INTEGER NOT NULL,
            unpriced_calls INTEGER NOT NULL, errors INTEGER NOT NULL, input_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, input_pusd INTEGER NOT NULL, output_pusd INTEGER NOT NULL,
            cache_pusd INTEGER NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, last_model TEXT,
            PRIMARY KEY (scope, scope_id, period)) WITHOUT ROWID;
        CREATE INDEX usage_totals_by_recency ON usage_totals (scope, last_at, scope_id);
        ALTER TABLE trace_spans ADD COLUMN session_id TEXT;
        CREATE INDEX trace_spans_by_session ON trace_spans (session_id, seq) WHERE session_id IS NOT NULL;
        """;

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
    private static string InSessionProject(string alias) => ProjectScope.Current is null ? "" : $" AND {alias}.project = @project";

    /// <summary>The totals of a session's rows in view, in <see cref="ReadSpend"/>'s order.</summary>
    private const string SummedTotals =
        "SUM(t.calls), SUM(t.unpriced_calls), SUM(t.errors), SUM(t.input_tokens), SUM(t.cached_tokens), SUM(t.cache_write_tokens), " +
        "SUM(t.output_tokens), SUM(t.input_pusd), SUM(t.output_pusd), SUM(t.cache_pusd), MIN(t.first_at), MAX(t.last_at)";

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
        ["day"] = "strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')",
        ["hour"] = "strftime('%Y-%m-%dT%H:00Z', started_at / 1000, 'unixepoch')",
    };

    /// <summary>Statements adding one call to 1, 2, … running totals, kept as built.</summary>
    private static readonly string?[] AddToTotalsSql = new string?[16];

    private static readonly string[][] TotalsRowNames = [.. Enumerable.Range(0, 16).Select(i => new[] { $"@scope{i}", $"@id{i}", $"@period{i}", $"@project{i}" })];

    /// <summary>
    /// One statement that adds the call's figures (<c>@calls</c> … <c>@model</c>) to <paramref name="rows"/> running totals,
    /// the i-th named by <c>@scope</c>i, <c>@id</c>i, <c>@period</c>i and <c>@project</c>i: one write per call, not one per total.
    /// </summary>
    private static string AddToTotals(int rows)
    {
        if (rows < AddToTotalsSql.Length && AddToTotalsSql[rows] is { } kept)
        {
            return kept;
        }

        var values = string.Join(", ", Enumerable.Range(0, rows).Select(i =>
            $"(@scope{i}, @id{i}, @period{i}, @project{i}, @calls, @unpriced, @errors, @input, @cached, @write, @output, @input_p, @output_p, @cache_p, @at, @at, @model)"));
        var sql = $"""
            INSERT INTO usage_totals (scope, scope_id, period, project, {TotalsColumns}, last_model)
            VALUES {values}
            ON CONFLICT (scope, scope_id, period, project) DO UPDATE SET calls = calls + excluded.calls,
                unpriced_calls = unpriced_calls + excluded.unpriced_calls, errors = errors + excluded.errors,
                input_tokens = input_tokens + excluded.input_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
                cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens, output_tokens = output_tokens + excluded.output_tokens,
                input_pusd = input_pusd + excluded.input_pusd, output_pusd = output_pusd + excluded.output_pusd,
                cache_pusd = cache_pusd + excluded.cache_pusd, first_at = MIN(first_at, excluded.first_at),
                last_at = MAX(last_at, excluded.last_at), last_model = excluded.last_model
            RETURNING scope, scope_id, period, {TotalsColumns}
            """;
        if (rows < AddToTotalsSql.Length)
        {
            AddToTotalsSql[rows] = sql;
        }

        return sql;
    }

    private static string[] TotalsRowParameters(int row) =>
        row < TotalsRowNames.Length ? TotalsRowNames[row] : [$"@scope{row}", $"@id{row}", $"@period{row}", $"@project{row}"];

    public async Task RecordAsync(ModelCallRecord call, CancellationToken cancellationToken)
    {
        var usage = call.Usage;
        var cost = call.Cost;
        var cached = Picos(cost?.CachedInputUsd);
        var write = Picos(cost?.CacheWriteUsd);
        // A call that produced tokens counts (a cut-off stream's estimate too); one that failed counts as an error.
        var spent = usage is not null;
        var failed = call.Status == ModelCallStatuses.Error;
        var (order, runs) = await database.WriteAsync((c, t) =>
        {
            c.Command($"INSERT INTO model_calls ({CallColumns}) VALUES (@id, @started, @duration, @ttft, @entry, @key, @session, @run, @thread, @assistant, " +
                "@provider, @model, @served, @status, @error, @stop, @input, @cached, @write, @output, @reasoning, @reported, @input_p, @cached_p, " +
                "@write_p, @output_p, @priced_as, @tools, @calls, @project)", t, UsageLedgerRows.CallParameters(call)).Run();

            var totals = UsageLedgerRows.TotalsOf(call);
            if (totals.Count == 0)
            {
                return (0L, (List<(string RunId, ScopeSpend Spend)>?)null);
            }

            var parameters = new (string Name, object? Value)[12 + 4 * totals.Count];
            parameters[0] = ("@calls", spent ? 1 : 0);
            parameters[1] = ("@unpriced", spent && cost is null ? 1 : 0);
            parameters[2] = ("@errors", failed ? 1 : 0);
            parameters[3] = ("@input", usage?.InputTokens ?? 0);
            parameters[4] = ("@cached", usage?.CachedInputTokens ?? 0);
            parameters[5] = ("@write", usage?.CacheWriteTokens ?? 0);
            parameters[6] = ("@output", usage?.OutputTokens ?? 0);
            parameters[7] = ("@input_p", Picos(cost?.InputUsd));
            parameters[8] = ("@output_p", Picos(cost?.OutputUsd));
            parameters[9] = ("@cache_p", cached + write);
            parameters[10] = ("@at", call.StartedAt);
            parameters[11] = ("@model", call.Model);
            for (var i = 0; i < totals.Count; i++)
            {
                var (scope, id, period) = totals[i];
                var names = TotalsRowParameters(i);
                parameters[12 + 4 * i] = (names[0], scope);
                parameters[13 + 4 * i] = (names[1], id);
                parameters[14 + 4 * i] = (names[2], period);
                parameters[15 + 4 * i] = (names[3], TotalsProject(scope, call));
            }

            using var command = c.Command(AddToTotals(totals.Count), t, parameters);
            using var reader = command.ExecuteReader();
            var order = database.RunTotals.NextWrite();
            List<(string RunId, ScopeSpend Spend)>? runs = null;
            while (reader.Read())
            {
                if (reader.GetString(0) == SpendScopes.Run && reader.GetString(2) == SpendScopes.Lifetime)
                {
                    (runs ??= []).Add((reader.GetString(1), ReadSpend(reader, 3)));
                }
            }

            return (order, runs);
        }, cancellationToken);
        foreach (var (runId, spend) in runs ?? [])
        {
            database.RunTotals.Committed(runId, order, spend);
        }
    }

    public async Task<ScopeSpend> GetSpendAsync(string scope, string id, string period, CancellationToken cancellationToken)
    {
        if (scope == SpendScopes.Session)
        {
            throw new ArgumentException("A session's totals are its project's: read them with GetSessionSpendAsync.", nameof(scope));
        }

        if (scope == SpendScopes.Run && period == SpendScopes.Lifetime && database.RunTotals.TryGet(id, out var held))
        {
            return held;
        }

        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT {TotalsColumns} FROM usage_totals WHERE scope = @scope AND scope_id = @id AND period = @period AND project = ''",
            null, ("@scope", scope), ("@id", id), ("@period", period));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadSpend(reader, 0) : ScopeSpend.None;
    }

    public async Task<ScopeSpend> GetSessionSpendAsync(string project, string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(
            $"SELECT {TotalsColumns} FROM usage_totals WHERE scope = 'session' AND scope_id = @id AND period = '' AND project = @project",
            null, ("@id", sessionId), ("@project", project));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadSpend(reader, 0) : ScopeSpend.None;
    }

    public async Task<IReadOnlyList<GatewaySession>> ListSessionsAsync(int limit, string? after, CancellationToken cancellationToken)
    {
        // The page holds each id once, at its most recent row in view (the admin may see one per project); its totals are
        // then summed over its rows in view. The cursor is the id's most recent activity, so no id is skipped or repeated.
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(
            $"""
            WITH page AS (
                SELECT u.scope_id, u.last_at, u.last_model FROM usage_totals AS u
                WHERE u.scope = 'session' AND u.period = ''{InSessionProject("u")}
                    AND NOT EXISTS (SELECT 1 FROM usage_totals AS n WHERE n.scope = 'session' AND n.scope_id = u.scope_id AND n.period = ''{InSessionProject("n")}
                        AND (n.last_at > u.last_at OR (n.last_at = u.last_at AND n.project > u.project)))
                    AND (@after IS NULL OR (u.last_at, u.scope_id) < (
                        SELECT MAX(a.last_at), @after FROM usage_totals AS a WHERE a.scope = 'session' AND a.scope_id = @after AND a.period = ''{InSessionProject("a")}))
                ORDER BY u.last_at DESC, u.scope_id DESC LIMIT @limit)
            SELECT p.scope_id, p.last_model, {SummedTotals}
            FROM page AS p JOIN usage_totals AS t ON t.scope = 'session' AND t.scope_id = p.scope_id AND t.period = ''{InSessionProject("t")}
            GROUP BY p.scope_id, p.last_at, p.last_model
            ORDER BY p.last_at DESC, p.scope_id DESC
            """, null, ("@after", after), ("@limit", limit), SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        var sessions = new List<GatewaySession>();
        while (reader.Read())
        {
            sessions.Add(new GatewaySession { Id = reader.GetString(0), LastModel = reader.IsDBNull(1) ? null : reader.GetString(1), Spend = ReadSpend(reader, 2) });
        }

        return sessions;
    }

    public async Task<GatewaySession?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(
            $"""
            SELECT (SELECT l.last_model FROM usage_totals AS l WHERE l.scope = 'session' AND l.scope_id = @id AND l.period = ''{InSessionProject("l")}
                    ORDER BY l.last_at DESC, l.project DESC LIMIT 1), {SummedTotals}
            FROM usage_totals AS t WHERE t.scope = 'session' AND t.scope_id = @id AND t.period = ''{InSessionProject("t")}
            HAVING COUNT(*) > 0
            """, null, ("@id", id), SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new GatewaySession { Id = id, LastModel = reader.IsDBNull(0) ? null : reader.GetString(0), Spend = ReadSpend(reader, 1) } : null;
    }

    public async Task<IReadOnlyList<ModelCallRecord>> ListSessionCallsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT {CallColumns} FROM model_calls WHERE session_id = @id AND {SqliteCommands.InProject} ORDER BY seq", null, ("@id", id), SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        var calls = new List<ModelCallRecord>();
        while (reader.Read())
        {
            calls.Add(ReadCall(reader));
        }

        return calls;
    }

    public async Task<IReadOnlyList<UsageTotals>> SumUsageAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        var key = query.GroupBy is null ? "NULL" : GroupColumns.TryGetValue(query.GroupBy, out var column)
            ? column
            : throw new ArgumentException($"Unknown group '{query.GroupBy}'.", nameof(query));
        var sql = new StringBuilder(
            $"""
            SELECT {key}, COUNT(*), SUM(input_tokens), SUM(cached_tokens), SUM(cache_write_tokens), SUM(output_tokens),
                SUM(input_pusd + cached_pusd + cache_write_pusd + output_pusd), SUM(status = 'error'), AVG(duration_ms)
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
        sql.Append(CultureInfo.InvariantCulture, $" AND {SqliteCommands.InProject}");
        parameters.Add(SqliteCommands.Project);
        if (query.GroupBy is not null)
        {
            sql.Append(" GROUP BY 1 ORDER BY 1");
        }

        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(sql.ToString(), null, [.. parameters]);
        using var reader = command.ExecuteReader();
        var rows = new List<UsageTotals>();
        while (reader.Read())
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
    }

    /// <summary>A deleted thread's calls keep their spend but lose their link to it; its runs' totals go.</summary>
    internal static void ForgetThread(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction, string threadId)
    {
        database.RunTotals.Forget();
        connection.Command("DELETE FROM usage_totals WHERE scope = 'run' AND period = '' AND scope_id IN (SELECT id FROM runs WHERE thread_id = @id)",
            transaction, ("@id", threadId)).Run();
        connection.Command("UPDATE model_calls SET run_id = NULL, thread_id = NULL WHERE thread_id = @id", transaction, ("@id", threadId)).Run();
    }
}
