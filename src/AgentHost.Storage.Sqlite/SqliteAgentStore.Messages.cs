using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

public sealed partial class SqliteAgentStore
{
    /// <summary>A thread's active run. The status list is <c>runs_active_by_thread</c>'s, word for word, so SQLite uses that index.</summary>
    internal const string ActiveRunSql =
        "SELECT data FROM runs WHERE thread_id = @thread AND status IN ('queued', 'in_progress', 'requires_action', 'cancelling') LIMIT 1";

    public Task<ThreadRun?> TryAddMessageAsync(ThreadMessage message, CancellationToken cancellationToken)
    {
        var tokens = CountTokens(message);
        return database.WriteAsync((c, t) =>
        {
            var active = c.Command(ActiveRunSql, t, ("@thread", message.ThreadId)).ReadOne(Json.ThreadRun);
            if (active is null)
            {
                UpsertMessage(c, t, message, tokens);
            }

            return active;
        }, cancellationToken);
    }

    public async Task<ThreadMessage?> GetMessageAsync(string threadId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM messages WHERE id = @id AND thread_id = @thread AND {SqliteCommands.InProject}", null, ("@id", id), ("@thread", threadId), SqliteCommands.Project)
            .ReadOne(Json.ThreadMessage);
    }

    public Task SaveMessageAsync(ThreadMessage message, CancellationToken cancellationToken)
    {
        var tokens = CountTokens(message);
        return database.WriteAsync((c, t) => UpsertMessage(c, t, message, tokens), cancellationToken);
    }

    public Task SaveMessageWithStepAsync(ThreadMessage message, RunStep step, CancellationToken cancellationToken)
    {
        var tokens = CountTokens(message);
        return database.WriteAsync((c, t) =>
        {
            SaveStep(c, t, step);
            UpsertMessage(c, t, message, tokens);
        }, cancellationToken);
    }

    public Task<bool> DeleteMessageAsync(string threadId, string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command($"DELETE FROM messages WHERE id = @id AND thread_id = @thread AND {SqliteCommands.InProject}", t, ("@id", id), ("@thread", threadId), SqliteCommands.Project).Run() > 0, cancellationToken);

    public async Task<Page<ThreadMessage>> ListMessagesAsync(string threadId, ListQuery query, string? runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return runId is null
            ? connection.ListPage("messages", "thread_id = @thread", [("@thread", threadId)], query, Json.ThreadMessage)
            : connection.ListPage("messages", "thread_id = @thread AND run_id = @run", [("@thread", threadId), ("@run", runId)], query, Json.ThreadMessage);
    }

    public async Task<IReadOnlyList<ThreadMessage>> GetThreadMessagesAsync(string threadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command("SELECT data FROM messages WHERE thread_id = @thread ORDER BY seq", null, ("@thread", threadId)).ReadAll(Json.ThreadMessage);
    }

    public async Task<IReadOnlyList<string>> GetThreadAttachmentsAsync(string threadId, string toolType, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return SqliteMessageAttachments.Read(connection, threadId, toolType);
    }

    public async Task<IReadOnlyList<HistoryMessage>> ReadThreadHistoryAsync(string threadId, string runId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("""
            SELECT seq, tokens, tokens_key, data, id FROM messages
            WHERE thread_id = @thread AND run_id IS NOT @run AND seq < @before ORDER BY seq DESC LIMIT @limit
            """, null, ("@thread", threadId), ("@run", runId), ("@before", before ?? long.MaxValue), ("@limit", limit));
        using var reader = command.ExecuteReader();
        var page = new List<HistoryMessage>(limit);
        while (reader.Read())
        {
            page.Add(new HistoryMessage(database.Messages.Parse(reader.GetString(4), reader.GetString(3)), reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return page;
    }

    public async Task<IReadOnlyList<ThreadMessage>> GetRunMessagesAsync(string threadId, string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command("SELECT data FROM messages WHERE run_id = @run AND thread_id = @thread ORDER BY seq", null, ("@thread", threadId), ("@run", runId))
            .ReadAll(Json.ThreadMessage);
    }

    /// <summary>The message's prompt token count and what counted it, stored with it; none when the counter's counts may not be kept.</summary>
    private (int? Count, string? Key) CountTokens(ThreadMessage message) => promptTokens.Key is null ? (null, null) : (promptTokens.Count(message), promptTokens.Key);

    /// <summary>Writes the message and its attachments index rows (<see cref="SqliteMessageAttachments"/>).</summary>
    private static void UpsertMessage(SqliteConnection c, SqliteTransaction t, ThreadMessage message, (int? Count, string? Key) tokens)
    {
        c.Command("""
            INSERT INTO messages (id, project, thread_id, run_id, status, tokens, tokens_key, data) VALUES (@id, @write_project, @thread, @run, @status, @tokens, @tokens_key, @data)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, tokens = excluded.tokens, tokens_key = excluded.tokens_key, data = excluded.data
            """, t, ("@id", message.Id), SqliteCommands.WriteProject, ("@thread", message.ThreadId), ("@run", message.RunId), ("@status", message.Status),
            ("@tokens", tokens.Count), ("@tokens_key", tokens.Key), ("@data", JsonSerializer.Serialize(message, Json.ThreadMessage))).Run();
        SqliteMessageAttachments.Write(c, t, message);
    }
}
