using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary><see cref="IResponseStore"/> on PostgreSQL, in the database the runs live in, so a response and its run are created together.</summary>
public sealed class PostgresResponseStore(PostgresDatabase database, PostgresRunStreams? streams = null) : IResponseStore
{
    private const string Columns = "id, project, created_at, previous_response_id, conversation_id, output_saved, data";

    public Task CreateAsync(StoredResponse response, IReadOnlyList<StoredItem> input, ThreadRun run, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command($"INSERT INTO responses ({Columns}) VALUES (@id, @project, @created, @previous, @conversation, false, @data)", t,
                ("@id", response.Id), ("@project", response.Project), ("@created", response.CreatedAt), ("@previous", response.PreviousResponseId),
                ("@conversation", response.ConversationId), ("@data", response.Data)).RunAsync(ct);
            await InsertItemsAsync(c, t, response, input, ct);
            await PostgresAgentStore.InsertRunAsync(c, t, run, streams?.WatchFor(run.Id), ct);
        }, cancellationToken);

    public Task<StoredResponse?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) => (await ReadAsync(c.Command($"SELECT {Columns} FROM responses WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project), ct))
            .FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<StoredResponse>> GetChainAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredResponse>>(async (c, ct) => await ReadAsync(c.Command($"""
            WITH RECURSIVE chain (id, depth) AS (
                SELECT id, 0 FROM responses WHERE id = @id AND {PostgresCommands.InProject}
                UNION ALL
                SELECT r.previous_response_id, chain.depth + 1 FROM responses r JOIN chain ON r.id = chain.id WHERE r.previous_response_id IS NOT NULL)
            SELECT {string.Join(", ", Columns.Split(", ").Select(column => "r." + column))} FROM chain JOIN responses r ON r.id = chain.id
            ORDER BY chain.depth DESC
            """, null, ("@id", id), PostgresCommands.Project), ct), cancellationToken);

    public Task<IReadOnlyList<StoredItem>> GetItemsAsync(IReadOnlyList<string> responseIds, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredItem>>(async (c, ct) =>
        {
            // One query for the whole chain, in the order of the ids given, each response's items in insertion order.
            await using var command = c.Command("""
                SELECT i.id, i.data, i.output FROM unnest(@ids) WITH ORDINALITY AS r (id, position)
                JOIN response_items i ON i.response_id = r.id ORDER BY r.position, i.seq
                """, null, ("@ids", responseIds.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var items = new List<StoredItem>();
            while (await reader.ReadAsync(ct))
            {
                items.Add(new StoredItem(reader.GetString(0), reader.GetString(1)) { IsOutput = reader.GetBoolean(2) });
            }

            return items;
        }, cancellationToken);

    public Task<bool> SaveOutputAsync(string responseId, IReadOnlyList<StoredItem> output, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            var saved = await ReadAsync(c.Command($"UPDATE responses SET output_saved = true WHERE id = @id AND NOT output_saved RETURNING {Columns}", t,
                ("@id", responseId)), ct);
            if (saved.Count == 0)
            {
                return false;
            }

            await InsertItemsAsync(c, t, saved[0], output, ct);
            return true;
        }, cancellationToken);

    public Task UpdateDataAsync(string id, string data, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("UPDATE responses SET data = @data WHERE id = @id", t, ("@id", id), ("@data", data)).RunAsync(ct),
            cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await using (var owned = c.Command($"SELECT 1 FROM responses WHERE id = @id AND {PostgresCommands.InProject}", t, ("@id", id), PostgresCommands.Project))
            {
                if (await owned.ExecuteScalarAsync(ct) is null)
                {
                    return false; // no such response in the caller's project
                }
            }

            await PostgresUsageLedger.ForgetThreadAsync(c, t, id, ct);
            await DeleteRunAndItemsAsync(c, t, id, ct);
            return await c.Command("DELETE FROM responses WHERE id = @id", t, ("@id", id)).RunAsync(ct) > 0;
        }, cancellationToken);

    public Task ForgetContentAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("UPDATE trace_spans SET data = data - ARRAY['request', 'response', 'input', 'output', 'events', 'error'] WHERE run_id = @id", t,
                ("@id", id)).RunAsync(ct);
            await DeleteRunAndItemsAsync(c, t, id, ct);
            await c.Command("DELETE FROM responses WHERE id = @id", t, ("@id", id)).RunAsync(ct);
        }, cancellationToken);

    public Task AppendEventAsync(string responseId, StoredEvent streamEvent, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("""
            INSERT INTO response_events (project, response_id, sequence_number, data)
            SELECT project, id, @sequence, @data FROM responses WHERE id = @response
            ON CONFLICT (response_id, sequence_number) DO NOTHING
            """, t, ("@response", responseId), ("@sequence", streamEvent.SequenceNumber), ("@data", streamEvent.Data)).RunAsync(ct), cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string responseId, long afterSequenceNumber, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredEvent>>(async (c, ct) =>
        {
            await using var command = c.Command(
                "SELECT sequence_number, data FROM response_events WHERE response_id = @response AND sequence_number > @after ORDER BY sequence_number", null,
                ("@response", responseId), ("@after", afterSequenceNumber));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var events = new List<StoredEvent>();
            while (await reader.ReadAsync(ct))
            {
                events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1)));
            }

            return events;
        }, cancellationToken);

    /// <summary>The response's run (its thread id is the response id) with its steps and messages, and its items and events.</summary>
    private static async Task DeleteRunAndItemsAsync(NpgsqlConnection c, NpgsqlTransaction t, string id, CancellationToken ct)
    {
        foreach (var table in new[] { "steps", "runs", "messages" })
        {
            await c.Command($"DELETE FROM {table} WHERE thread_id = @id", t, ("@id", id)).RunAsync(ct);
        }

        await c.Command("DELETE FROM response_items WHERE response_id = @id", t, ("@id", id)).RunAsync(ct);
        await c.Command("DELETE FROM response_events WHERE response_id = @id", t, ("@id", id)).RunAsync(ct);
    }

    private static async Task InsertItemsAsync(NpgsqlConnection c, NpgsqlTransaction t, StoredResponse response, IReadOnlyList<StoredItem> items, CancellationToken ct)
    {
        foreach (var item in items)
        {
            await c.Command("INSERT INTO response_items (id, project, response_id, output, data) VALUES (@id, @project, @response, @output, @data) ON CONFLICT DO NOTHING", t,
                ("@id", item.Id), ("@project", response.Project), ("@response", response.Id), ("@output", item.IsOutput), ("@data", item.Data)).RunAsync(ct);
        }

        if (response.ConversationId is { } conversation)
        {
            await PostgresConversationStore.InsertItemsAsync(c, t, conversation, response.Project, items, ct);
        }
    }

    private static async Task<List<StoredResponse>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var responses = new List<StoredResponse>();
            while (await reader.ReadAsync(ct))
            {
                responses.Add(new StoredResponse
                {
                    Id = reader.GetString(0),
                    Project = reader.GetString(1),
                    CreatedAt = reader.GetInt64(2),
                    PreviousResponseId = reader.IsDBNull(3) ? null : reader.GetString(3),
                    ConversationId = reader.IsDBNull(4) ? null : reader.GetString(4),
                    OutputSaved = reader.GetBoolean(5),
                    Data = reader.GetString(6),
                });
            }

            return responses;
        }
    }
}
