using AgentHost.Core.Observability;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="ITraceStore"/> on PostgreSQL: one row per span, its JSON beside the columns it is looked up by. A run's
/// rows share the thread's life (<see cref="PostgresAgentStore.DeleteThreadAsync"/> deletes them); a gateway call's
/// carry its session. Spend is in <see cref="PostgresUsageLedger"/>.
/// </summary>
public sealed class PostgresTraceStore(PostgresDatabase database) : ITraceStore
{
    /// <summary>Spans are written after the fact (off the call's path), so a run's span whose thread was deleted meanwhile is dropped.</summary>
    public Task AddSpansAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            foreach (var span in spans)
            {
                await c.Command(
                    """
                    INSERT INTO trace_spans (id, project, run_id, thread_id, assistant_id, session_id, api_key_id, kind, provider, model, started_at,
                        duration_ms, status, input_tokens, cached_tokens, cache_write_tokens, output_tokens, cost_usd, data)
                    SELECT @id, @project_of_span, @run, @thread, @assistant, @session::text, @key, @kind, @provider::text, @model::text, @started, @duration, @status,
                        @input, @cached, @write, @output, @cost, @data
                    WHERE @run = '' OR EXISTS (SELECT 1 FROM runs WHERE id = @run)
                    ON CONFLICT (id) DO NOTHING
                    """,
                    t,
                    ("@id", span.Id), ("@project_of_span", span.Project), ("@run", span.RunId ?? string.Empty), ("@thread", span.ThreadId ?? string.Empty),
                    ("@assistant", span.AssistantId ?? string.Empty), ("@session", span.SessionId), ("@key", span.ApiKeyId),
                    ("@kind", span.Kind), ("@provider", span.Provider), ("@model", span.ResponseModel ?? span.Model), ("@started", span.StartedAt),
                    ("@duration", span.DurationMs), ("@status", span.Status), ("@input", span.Usage?.InputTokens ?? 0),
                    ("@cached", span.Usage?.CachedInputTokens ?? 0), ("@write", span.Usage?.CacheWriteTokens ?? 0),
                    ("@output", span.Usage?.OutputTokens ?? 0), ("@cost", (double)(span.Cost?.TotalUsd ?? 0m)),
                    ("@data", PostgresCommands.Json(span, TraceJsonContext.Default.TraceSpan))).RunAsync(ct);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<TraceSpan>> GetRunSpansAsync(string runId, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command($"SELECT data FROM trace_spans WHERE run_id = @run AND {PostgresCommands.InProject} ORDER BY started_at, seq", null, ("@run", runId), PostgresCommands.Project)
            .ReadAllAsync(TraceJsonContext.Default.TraceSpan, ct), cancellationToken);

    public async Task<IReadOnlyList<TraceSpan>> GetSessionSpansAsync(string sessionId, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command($"SELECT data FROM trace_spans WHERE session_id = @session AND {PostgresCommands.InProject} ORDER BY started_at, seq", null, ("@session", sessionId), PostgresCommands.Project)
            .ReadAllAsync(TraceJsonContext.Default.TraceSpan, ct), cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> CountRunsByStatusAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, long>>(async (c, ct) =>
        {
            await using var command = c.Command($"SELECT status, COUNT(*) FROM runs WHERE {PostgresCommands.InProject} GROUP BY status", null, PostgresCommands.Project);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }, cancellationToken);
}
