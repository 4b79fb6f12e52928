using System.Text.Json;
using AgentHost.Core.Observability;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="ITraceStore"/> on SQLite: one row per span, its JSON beside the columns it is looked up by. A run's
/// rows share the thread's life (<see cref="SqliteAgentStore.DeleteThreadAsync"/> deletes them); a gateway call's
/// carry its session. Spend is in <see cref="SqliteUsageLedger"/>.
/// </summary>
public sealed class SqliteTraceStore(SqliteDatabase database) : ITraceStore
{
    /// <summary>Spans are written after the fact (off the call's path), so a run's span whose thread was deleted meanwhile is dropped.</summary>
    public Task AddSpansAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            foreach (var span in spans)
            {
                c.Command(
                    """
                    INSERT OR IGNORE INTO trace_spans (id, project, run_id, thread_id, assistant_id, session_id, api_key_id, kind, provider, model, started_at,
                        duration_ms, status, input_tokens, cached_tokens, cache_write_tokens, output_tokens, cost_usd, data)
                    SELECT @id, @project_of_span, @run, @thread, @assistant, @session, @key, @kind, @provider, @model, @started, @duration, @status,
                        @input, @cached, @write, @output, @cost, @data
                    WHERE @run = '' OR EXISTS (SELECT 1 FROM runs WHERE id = @run)
                    """,
                    t,
                    ("@id", span.Id), ("@project_of_span", span.Project), ("@run", span.RunId ?? string.Empty), ("@thread", span.ThreadId ?? string.Empty),
                    ("@assistant", span.AssistantId ?? string.Empty), ("@session", span.SessionId), ("@key", span.ApiKeyId),
                    ("@kind", span.Kind), ("@provider", span.Provider), ("@model", span.ResponseModel ?? span.Model), ("@started", span.StartedAt),
                    ("@duration", span.DurationMs), ("@status", span.Status), ("@input", span.Usage?.InputTokens ?? 0),
                    ("@cached", span.Usage?.CachedInputTokens ?? 0), ("@write", span.Usage?.CacheWriteTokens ?? 0),
                    ("@output", span.Usage?.OutputTokens ?? 0), ("@cost", (double)(span.Cost?.TotalUsd ?? 0m)),
                    ("@data", JsonSerializer.Serialize(span, TraceJsonContext.Default.TraceSpan))).Run();
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<TraceSpan>> GetRunSpansAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM trace_spans WHERE run_id = @run AND {SqliteCommands.InProject} ORDER BY started_at, seq", null, ("@run", runId), SqliteCommands.Project)
            .ReadAll(TraceJsonContext.Default.TraceSpan);
    }

    public async Task<IReadOnlyList<TraceSpan>> GetSessionSpansAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM trace_spans WHERE session_id = @session AND {SqliteCommands.InProject} ORDER BY started_at, seq", null, ("@session", sessionId), SqliteCommands.Project)
            .ReadAll(TraceJsonContext.Default.TraceSpan);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountRunsByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT status, COUNT(*) FROM runs WHERE {SqliteCommands.InProject} GROUP BY status", null, SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
