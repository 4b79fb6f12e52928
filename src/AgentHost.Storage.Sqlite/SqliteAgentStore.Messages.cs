using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

public sealed partial class SqliteAgentStore
{
    private const string ActiveRunSql =
        "SELECT data FROM runs WHERE thread_id = @thread AND status IN ('queued', 'in_progress', 'requires_action', 'cancelling') LIMIT 1";

    public Task<ThreadRun?> TryAddMessageAsync(ThreadMessage message, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            var active = c.Command(ActiveRunSql, t, ("@thread", message.ThreadId)).ReadOne(Json.ThreadRun);
            if (active is null)
            {
                UpsertMessage(c, t, message);
            }

            return active;
        }, cancellationToken);

    public async Task<ThreadMessage?> GetMessageAsync(string threadId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM messages WHERE id = @id AND thread_id = @thread AND {SqliteCommands.InProject}", null, ("@id", id), ("@thread", threadId), SqliteCommands.Project)
            .ReadOne(Json.ThreadMessage);
    }

    public Task SaveMessageAsync(ThreadMessage message, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => UpsertMessage(c, t, message), cancellationToken);

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

    private static void UpsertMessage(SqliteConnection c, SqliteTransaction t, ThreadMessage message) =>
        c.Command("""
            INSERT INTO messages (id, project, thread_id, run_id, status, data) VALUES (@id, @write_project, @thread, @run, @status, @data)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data
            """, t, ("@id", message.Id), SqliteCommands.WriteProject, ("@thread", message.ThreadId), ("@run", message.RunId), ("@status", message.Status),
            ("@data", JsonSerializer.Serialize(message, Json.ThreadMessage))).Run();
}
