using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary><see cref="IResponseStore"/> on SQLite, in the database the runs live in, so a response and its run are created together.</summary>
public sealed class SqliteResponseStore(SqliteDatabase database) : IResponseStore
{
    private const string Columns = "id, project, created_at, previous_response_id, conversation_id, output_saved, data";

    public Task CreateAsync(StoredResponse response, IReadOnlyList<StoredItem> input, ThreadRun run, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Command($"INSERT INTO responses ({Columns}) VALUES (@id, @project, @created, @previous, @conversation, 0, @data)", t,
                ("@id", response.Id), ("@project", response.Project), ("@created", response.CreatedAt), ("@previous", response.PreviousResponseId),
                ("@conversation", response.ConversationId), ("@data", response.Data)).Run();
            InsertItems(c, t, response, input);
            SqliteAgentStore.InsertRun(c, t, run);
        }, cancellationToken);

    public async Task<StoredResponse?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT {Columns} FROM responses WHERE id = @id AND {SqliteCommands.InProject}", null, ("@id", id), SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<StoredResponse>> GetChainAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"""
            WITH RECURSIVE chain (id, depth) AS (
                SELECT id, 0 FROM responses WHERE id = @id AND {SqliteCommands.InProject}
                UNION ALL
                SELECT r.previous_response_id, chain.depth + 1 FROM responses r JOIN chain ON r.id = chain.id WHERE r.previous_response_id IS NOT NULL)
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "r." + c))} FROM chain JOIN responses r ON r.id = chain.id ORDER BY chain.depth DESC
            """, null, ("@id", id), SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        var chain = new List<StoredResponse>();
        while (reader.Read())
        {
            chain.Add(Read(reader));
        }

        return chain;
    }

    public async Task<IReadOnlyList<StoredItem>> GetItemsAsync(IReadOnlyList<string> responseIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var items = new List<StoredItem>();
        foreach (var responseId in responseIds)
        {
            using var command = connection.Command("SELECT id, data, output FROM response_items WHERE response_id = @response ORDER BY seq", null, ("@response", responseId));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                items.Add(new StoredItem(reader.GetString(0), reader.GetString(1)) { IsOutput = reader.GetInt64(2) != 0 });
            }
        }

        return items;
    }

    public Task<bool> SaveOutputAsync(string responseId, IReadOnlyList<StoredItem> output, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            using var command = c.Command($"UPDATE responses SET output_saved = 1 WHERE id = @id AND output_saved = 0 RETURNING {Columns}", t, ("@id", responseId));
            StoredResponse? response;
            using (var reader = command.ExecuteReader())
            {
                response = reader.Read() ? Read(reader) : null;
            }

            if (response is null)
            {
                return false;
            }

            InsertItems(c, t, response, output);
            return true;
        }, cancellationToken);

    public Task UpdateDataAsync(string id, string data, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("UPDATE responses SET data = @data WHERE id = @id", t, ("@id", id), ("@data", data)).Run(), cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (c.Command($"SELECT 1 FROM responses WHERE id = @id AND {SqliteCommands.InProject}", t, ("@id", id), SqliteCommands.Project).Scalar() is null)
            {
                return false; // no such response in the caller's project
            }

            SqliteUsageLedger.ForgetThread(database, c, t, id);
            foreach (var table in new[] { "steps", "runs", "messages" })
            {
                c.Command($"DELETE FROM {table} WHERE thread_id = @id", t, ("@id", id)).Run();
            }

            c.Command("DELETE FROM response_items WHERE response_id = @id", t, ("@id", id)).Run();
            c.Command("DELETE FROM response_events WHERE response_id = @id", t, ("@id", id)).Run();
            return c.Command("DELETE FROM responses WHERE id = @id", t, ("@id", id)).Run() > 0;
        }, cancellationToken);

    public Task ForgetContentAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Command("""
                UPDATE trace_spans SET data = json_remove(data, '$.request', '$.response', '$.input', '$.output', '$.events', '$.error')
                WHERE run_id = @id
                """, t, ("@id", id)).Run();
            foreach (var table in new[] { "steps", "runs", "messages" })
            {
                c.Command($"DELETE FROM {table} WHERE thread_id = @id", t, ("@id", id)).Run();
            }

            c.Command("DELETE FROM response_items WHERE response_id = @id", t, ("@id", id)).Run();
            c.Command("DELETE FROM response_events WHERE response_id = @id", t, ("@id", id)).Run();
            c.Command("DELETE FROM responses WHERE id = @id", t, ("@id", id)).Run();
        }, cancellationToken);

    public Task AppendEventAsync(string responseId, StoredEvent streamEvent, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("""
            INSERT INTO response_events (project, response_id, sequence_number, data)
            SELECT project, id, @sequence, @data FROM responses WHERE id = @response
            ON CONFLICT (response_id, sequence_number) DO NOTHING
            """, t, ("@response", responseId), ("@sequence", streamEvent.SequenceNumber), ("@data", streamEvent.Data)).Run(), cancellationToken);

    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string responseId, long afterSequenceNumber, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("SELECT sequence_number, data FROM response_events WHERE response_id = @response AND sequence_number > @after ORDER BY sequence_number",
            null, ("@response", responseId), ("@after", afterSequenceNumber));
        using var reader = command.ExecuteReader();
        var events = new List<StoredEvent>();
        while (reader.Read())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1)));
        }

        return events;
    }

    private static void InsertItems(SqliteConnection c, SqliteTransaction t, StoredResponse response, IReadOnlyList<StoredItem> items)
    {
        foreach (var item in items)
        {
            c.Command("INSERT INTO response_items (id, project, response_id, output, data) VALUES (@id, @project, @response, @output, @data) ON CONFLICT DO NOTHING", t,
                ("@id", item.Id), ("@project", response.Project), ("@response", response.Id), ("@output", item.IsOutput ? 1 : 0), ("@data", item.Data)).Run();
            if (response.ConversationId is { } conversation)
            {
                c.Command("INSERT INTO conversation_items (id, project, conversation_id, data) VALUES (@id, @project, @conversation, @data) ON CONFLICT DO NOTHING", t,
                    ("@id", item.Id), ("@project", response.Project), ("@conversation", conversation), ("@data", item.Data)).Run();
            }
        }
    }

    private static StoredResponse Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Project = reader.GetString(1),
        CreatedAt = reader.GetInt64(2),
        PreviousResponseId = reader.IsDBNull(3) ? null : reader.GetString(3),
        ConversationId = reader.IsDBNull(4) ? null : reader.GetString(4),
        OutputSaved = reader.GetInt64(5) != 0,
        Data = reader.GetString(6),
    };
}
