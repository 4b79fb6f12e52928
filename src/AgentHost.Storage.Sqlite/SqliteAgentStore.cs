using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IAgentStore"/> on SQLite. Objects are stored as their JSON; the columns beside it are the ones
/// that are queried (thread, run, status, leases). Ordering follows insertion (<c>seq</c>), as ids are random.
/// </summary>
/// <param name="tokens">Counts each message's prompt tokens as it is written (<see cref="PromptTokens"/>); o200k when not given.</param>
public sealed partial class SqliteAgentStore(SqliteDatabase database, ITokenCounter? tokens = null) : IAgentStore
{
    private static readonly CoreJsonContext Json = CoreJsonContext.Default;

    private readonly PromptTokens promptTokens = new(tokens ?? new TiktokenCounter());

    public Task CreateAssistantAsync(Assistant assistant, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("INSERT INTO assistants (id, project, data) VALUES (@id, @write_project, @data)", t,
            ("@id", assistant.Id), SqliteCommands.WriteProject, ("@data", JsonSerializer.Serialize(assistant, Json.Assistant))).Run(), cancellationToken);

    public async Task<Assistant?> GetAssistantAsync(string id, CancellationToken cancellationToken)
    {
        var cache = database.Assistants;
        if (!cache.TryGet(id, out var row))
        {
            var readIn = cache.Generation;
            await using var connection = await database.OpenReaderAsync(cancellationToken);
            using var command = connection.Command("SELECT project, data FROM assistants WHERE id = @id", null, ("@id", id));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            row = (reader.GetString(0), reader.GetString(1));
            cache.Keep(id, row.Project, row.Json, readIn);
        }

        return ProjectScope.Allows(row.Project) ? JsonSerializer.Deserialize(row.Json, Json.Assistant) : null;
    }

    public async Task UpdateAssistantAsync(Assistant assistant, CancellationToken cancellationToken)
    {
        await database.WriteAsync((c, t) => c.Command("UPDATE assistants SET data = @data WHERE id = @id", t,
            ("@id", assistant.Id), ("@data", JsonSerializer.Serialize(assistant, Json.Assistant))).Run(), cancellationToken);
        database.Assistants.Forget(assistant.Id);
    }

    public async Task<bool> DeleteAssistantAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await database.WriteAsync((c, t) => c.Command($"DELETE FROM assistants WHERE id = @id AND {SqliteCommands.InProject}", t, ("@id", id), SqliteCommands.Project).Run() > 0, cancellationToken);
        database.Assistants.Forget(id);
        return deleted;
    }

    public async Task<Page<Assistant>> ListAssistantsAsync(ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.ListPage("assistants", "1 = 1", [], query, Json.Assistant);
    }

    public Task CreateThreadAsync(AssistantThread thread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken)
    {
        var tokens = messages.Select(CountTokens).ToList();
        return database.WriteAsync((c, t) =>
        {
            InsertThread(c, t, thread);
            for (var i = 0; i < messages.Count; i++)
            {
                UpsertMessage(c, t, messages[i], tokens[i]);
            }
        }, cancellationToken);
    }

    public async Task<AssistantThread?> GetThreadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM threads WHERE id = @id AND {SqliteCommands.InProject}", null, ("@id", id), SqliteCommands.Project).ReadOne(Json.AssistantThread);
    }

    public Task UpdateThreadAsync(AssistantThread thread, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("UPDATE threads SET data = @data WHERE id = @id", t,
            ("@id", thread.Id), ("@data", JsonSerializer.Serialize(thread, Json.AssistantThread))).Run(), cancellationToken);

    public Task<bool> DeleteThreadAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (c.Command($"SELECT 1 FROM threads WHERE id = @id AND {SqliteCommands.InProject}", t, ("@id", id), SqliteCommands.Project).Scalar() is null)
            {
                return false; // no such thread in the caller's project
            }

            // Spend stays in the ledger (the money was spent; keys' and assistants' totals keep it), no longer tied to the thread.
            SqliteUsageLedger.ForgetThread(database, c, t, id);
            foreach (var table in new[] { "steps", "runs", "messages", "trace_spans" })
            {
                c.Command($"DELETE FROM {table} WHERE thread_id = @id", t, ("@id", id)).Run();
            }

            return c.Command("DELETE FROM threads WHERE id = @id", t, ("@id", id)).Run() > 0;
        }, cancellationToken);

    private static void InsertThread(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, AssistantThread thread) =>
        c.Command("INSERT INTO threads (id, project, data) VALUES (@id, @write_project, @data)", t,
            ("@id", thread.Id), SqliteCommands.WriteProject, ("@data", JsonSerializer.Serialize(thread, Json.AssistantThread))).Run();
}
