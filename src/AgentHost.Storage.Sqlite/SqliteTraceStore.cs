using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Observability;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="ITraceStore"/> on SQLite: one row per span, its JSON beside the columns usage is summed over. Rows
/// share the thread's life (<see cref="SqliteAgentStore.DeleteThreadAsync"/> deletes them).
/// </summary>
public sealed class SqliteTraceStore(SqliteDatabase database) : ITraceStore
{
    private static readonly Dictionary<string, string> GroupColumns = new(StringComparer.Ordinal)
    {
        ["model"] = "COALESCE(model, '')",
        ["provider"] = "COALESCE(provider, '')",
        ["run"] = "run_id",
        ["thread"] = "thread_id",
        ["assistant"] = "assistant_id",
        ["api_key"] = "api_key_id",
        ["day"] = "strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')",
        ["hour"] = "strftime('%Y-%m-%dT%H:00Z', started_at / 1000, 'unixepoch')",
    };

    public Task AddSpanAsync(TraceSpan span, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command(
            """
            INSERT INTO trace_spans (id, run_id, thread_id, assistant_id, api_key_id, kind, provider, model, started_at, duration_ms, status,
                input_tokens, cached_tokens, cache_write_tokens, output_tokens, cost_usd, data)
            VALUES (@id, @run, @thread, @assistant, @key, @kind, @provider, @model, @started, @duration, @status,
                @input, @cached, @write, @output, @cost, @data)
            """,
            t,
            ("@id", span.Id), ("@run", span.RunId), ("@thread", span.ThreadId), ("@assistant", span.AssistantId), ("@key", span.ApiKeyId),
            ("@kind", span.Kind), ("@provider", span.Provider), ("@model", span.ResponseModel ?? span.Model), ("@started", span.StartedAt),
            ("@duration", span.DurationMs), ("@status", span.Status), ("@input", span.Usage?.InputTokens ?? 0),
            ("@cached", span.Usage?.CachedInputTokens ?? 0), ("@write", span.Usage?.CacheWriteTokens ?? 0),
            ("@output", span.Usage?.OutputTokens ?? 0), ("@cost", (double)(span.Cost?.TotalUsd ?? 0m)),
            ("@data", JsonSerializer.Serialize(span, TraceJsonContext.Default.TraceSpan))).Run(), cancellationToken);

    public async Task<IReadOnlyList<TraceSpan>> GetRunSpansAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command("SELECT data FROM trace_spans WHERE run_id = @run ORDER BY started_at, seq", null, ("@run", runId))
            .ReadAll(TraceJsonContext.Default.TraceSpan);
    }

    public async Task<IReadOnlyList<TraceCost?>> GetRunModelCallCostsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(
            "SELECT json_extract(data, '$.cost') FROM trace_spans WHERE run_id = @run AND kind = @kind AND status = 'ok' ORDER BY started_at, seq",
            null, ("@run", runId), ("@kind", TraceSpanKinds.ModelCall));
        using var reader = command.ExecuteReader();
        var costs = new List<TraceCost?>();
        while (reader.Read())
        {
            costs.Add(reader.IsDBNull(0) ? null : JsonSerializer.Deserialize(reader.GetString(0), TraceJsonContext.Default.TraceCost));
        }

        return costs;
    }

    public async Task<IReadOnlyList<UsageTotals>> SumUsageAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        var key = query.GroupBy is null ? "NULL" : GroupColumns.TryGetValue(query.GroupBy, out var column)
            ? column
            : throw new ArgumentException($"Unknown group '{query.GroupBy}'.", nameof(query));
        var sql = new StringBuilder(
            $"""
            SELECT {key}, COUNT(*), SUM(input_tokens), SUM(cached_tokens), SUM(cache_write_tokens), SUM(output_tokens), SUM(cost_usd),
                SUM(status = 'error'), AVG(duration_ms)
            FROM trace_spans WHERE kind = 'model_call' AND started_at >= @start AND started_at < @end
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
        if (query.GroupBy is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" GROUP BY 1 ORDER BY 1");
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
                CostUsd = Math.Round((decimal)reader.GetDouble(6), 8),
                Errors = reader.GetInt64(7),
                AverageDurationMs = reader.GetDouble(8),
            });
        }

        return rows;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountRunsByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("SELECT status, COUNT(*) FROM runs GROUP BY status");
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
