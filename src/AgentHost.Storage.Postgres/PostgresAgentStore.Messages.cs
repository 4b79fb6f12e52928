using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

public sealed partial class PostgresAgentStore
{
    private const string ActiveRunSql =
        "SELECT data FROM runs WHERE thread_id = @thread AND status IN ('queued', 'in_progress', 'requires_action', 'cancelling') LIMIT 1";

    public Task<ThreadRun?> TryAddMessageAsync(ThreadMessage message, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await LockThreadAsync(c, t, message.ThreadId, ct);
            var active = await c.Command(ActiveRunSql, t, ("@thread", message.ThreadId)).ReadOneAsync(Json.ThreadRun, ct);
            if (active is null)
            {
                await UpsertMessageAsync(c, t, message, ct);
            }

            return active;
        }, cancellationToken);

    public Task<ThreadMessage?> GetMessageAsync(string threadId, string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM messages WHERE id = @id AND thread_id = @thread AND {PostgresCommands.InProject}", null, ("@id", id), ("@thread", threadId), PostgresCommands.Project)
            .ReadOneAsync(Json.ThreadMessage, ct), cancellationToken);

    public Task SaveMessageAsync(ThreadMessage message, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => UpsertMessageAsync(c, t, message, ct), cancellationToken);

    public Task SaveMessageWithStepAsync(ThreadMessage message, RunStep step, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await SaveStepAsync(c, t, step, ct);
            await UpsertMessageAsync(c, t, message, ct);
        }, cancellationToken);

    public Task<bool> DeleteMessageAsync(string threadId, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command($"DELETE FROM messages WHERE id = @id AND thread_id = @thread AND {PostgresCommands.InProject}", t, PostgresCommands.Project,
            ("@id", id), ("@thread", threadId)).RunAsync(ct) > 0, cancellationToken);

    public Task<Page<ThreadMessage>> ListMessagesAsync(string threadId, ListQuery query, string? runId, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => runId is null
            ? c.ListPageAsync("messages", "thread_id = @thread", [("@thread", threadId)], query, Json.ThreadMessage, ct)
            : c.ListPageAsync("messages", "thread_id = @thread AND run_id = @run", [("@thread", threadId), ("@run", runId)], query, Json.ThreadMessage, ct),
            cancellationToken);

    public async Task<IReadOnlyList<ThreadMessage>> GetThreadMessagesAsync(string threadId, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command("SELECT data FROM messages WHERE thread_id = @thread ORDER BY seq", null, ("@thread", threadId))
            .ReadAllAsync(Json.ThreadMessage, ct), cancellationToken);

    public Task<IReadOnlyList<string>> GetThreadAttachmentsAsync(string threadId, string toolType, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => PostgresMessageAttachments.ReadAsync(c, threadId, toolType, ct), cancellationToken);

    public Task<IReadOnlyList<HistoryMessage>> ReadThreadHistoryAsync(string threadId, string runId, long? before, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<HistoryMessage>>(async (c, ct) =>
        {
            await using var command = c.Command("""
                SELECT seq, tokens, tokens_key, data::text FROM messages
                WHERE thread_id = @thread AND run_id IS DISTINCT FROM @run AND seq < @before ORDER BY seq DESC LIMIT @limit
                """, null, ("@thread", threadId), ("@run", runId), ("@before", before ?? long.MaxValue), ("@limit", limit));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var page = new List<HistoryMessage>(limit);
            while (await reader.ReadAsync(ct))
            {
                page.Add(new HistoryMessage(JsonSerializer.Deserialize(reader.GetString(3), Json.ThreadMessage)!, reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }

            return page;
        }, cancellationToken);

    public async Task<IReadOnlyList<ThreadMessage>> GetRunMessagesAsync(string threadId, string runId, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command("SELECT data FROM messages WHERE run_id = @run AND thread_id = @thread ORDER BY seq", null, ("@thread", threadId), ("@run", runId))
            .ReadAllAsync(Json.ThreadMessage, ct), cancellationToken);

    /// <summary>
    /// Writes the message with its prompt token count and what counted it (none when the counter's counts may not be kept),
    /// and its attachments index rows (<see cref="PostgresMessageAttachments"/>) in the same round trip.
    /// </summary>
    private Task UpsertMessageAsync(NpgsqlConnection c, NpgsqlTransaction t, ThreadMessage message, CancellationToken ct)
    {
        var key = promptTokens.Key;
        var attachments = PostgresMessageAttachments.Write(message);
        return c.Command($"""
            INSERT INTO messages (id, project, thread_id, run_id, status, tokens, tokens_key, data) VALUES (@id, @write_project, @thread, @run, @status, @tokens, @tokens_key, @data)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, tokens = excluded.tokens, tokens_key = excluded.tokens_key, data = excluded.data{attachments.Sql}
            """, t, [("@id", message.Id), PostgresCommands.WriteProject, ("@thread", message.ThreadId), ("@run", message.RunId), ("@status", message.Status),
            ("@tokens", key is null ? null : promptTokens.Count(message)), ("@tokens_key", key), ("@data", PostgresCommands.Json(message, Json.ThreadMessage)), .. attachments.Parameters]).RunAsync(ct);
    }
}
