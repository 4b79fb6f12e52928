using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary><see cref="IConversationStore"/> on PostgreSQL; items are ordered by insertion (<c>seq</c>).</summary>
public sealed class PostgresConversationStore(PostgresDatabase database) : IConversationStore
{
    public Task CreateAsync(StoredConversation conversation, IReadOnlyList<StoredItem> items, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("INSERT INTO conversations (id, project, data) VALUES (@id, @project, @data)", t,
                ("@id", conversation.Id), ("@project", conversation.Project), ("@data", conversation.Data)).RunAsync(ct);
            await InsertItemsAsync(c, t, conversation.Id, conversation.Project, items, ct);
        }, cancellationToken);

    public Task<StoredConversation?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command($"SELECT id, project, data FROM conversations WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? new StoredConversation { Id = reader.GetString(0), Project = reader.GetString(1), Data = reader.GetString(2) }
                : null;
        }, cancellationToken);

    public Task<bool> UpdateAsync(StoredConversation conversation, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("UPDATE conversations SET data = @data WHERE id = @id", t,
            ("@id", conversation.Id), ("@data", conversation.Data)).RunAsync(ct) == 1, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await using (var owned = c.Command($"SELECT 1 FROM conversations WHERE id = @id AND {PostgresCommands.InProject}", t, ("@id", id), PostgresCommands.Project))
            {
                if (await owned.ExecuteScalarAsync(ct) is null)
                {
                    return false; // no such conversation in the caller's project
                }
            }

            await c.Command("DELETE FROM conversation_items WHERE conversation_id = @id", t, ("@id", id)).RunAsync(ct);
            return await c.Command("DELETE FROM conversations WHERE id = @id", t, ("@id", id)).RunAsync(ct) == 1;
        }, cancellationToken);

    public Task<bool> AddItemsAsync(string conversationId, IReadOnlyList<StoredItem> items, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            // FOR SHARE: a delete of the conversation waits for these items, so none outlive it.
            await using var command = c.Command("SELECT project FROM conversations WHERE id = @id FOR SHARE", t, ("@id", conversationId));
            if (await command.ExecuteScalarAsync(ct) is not string project)
            {
                return false;
            }

            await InsertItemsAsync(c, t, conversationId, project, items, ct);
            return true;
        }, cancellationToken);

    public Task<Page<StoredItem>> ListItemsAsync(string conversationId, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var conditions = new List<string> { "conversation_id = @conversation" };
            const string Position = "(SELECT seq FROM conversation_items WHERE conversation_id = @conversation AND id = @{0})";
            if (query.After is not null)
            {
                conditions.Add($"seq {(query.Ascending ? ">" : "<")} COALESCE({string.Format(System.Globalization.CultureInfo.InvariantCulture, Position, "after")}, {(query.Ascending ? "9223372036854775807" : "-1")})");
            }

            if (query.Before is not null)
            {
                conditions.Add($"seq {(query.Ascending ? "<" : ">")} COALESCE({string.Format(System.Globalization.CultureInfo.InvariantCulture, Position, "before")}, {(query.Ascending ? "-1" : "9223372036854775807")})");
            }

            var items = await ReadAsync(c.Command(
                $"SELECT id, data FROM conversation_items WHERE {string.Join(" AND ", conditions)} ORDER BY seq {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit", null,
                ("@conversation", conversationId), ("@after", query.After ?? ""), ("@before", query.Before ?? ""), ("@limit", Math.Min(query.Limit, int.MaxValue - 1) + 1L)), ct);
            var hasMore = items.Count > query.Limit;
            if (hasMore)
            {
                items.RemoveAt(items.Count - 1);
            }

            return new Page<StoredItem>(items, hasMore);
        }, cancellationToken);

    public Task<IReadOnlyList<StoredItem>> GetItemsAsync(string conversationId, string? throughItemId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredItem>>(async (c, ct) => await ReadAsync(c.Command(throughItemId is null
                ? "SELECT id, data FROM conversation_items WHERE conversation_id = @conversation ORDER BY seq"
                : """
                  SELECT id, data FROM conversation_items WHERE conversation_id = @conversation
                    AND seq <= COALESCE((SELECT seq FROM conversation_items WHERE conversation_id = @conversation AND id = @through), 9223372036854775807)
                  ORDER BY seq
                  """, null, ("@conversation", conversationId), ("@through", throughItemId ?? "")), ct), cancellationToken);

    public Task<StoredItem?> GetItemAsync(string conversationId, string itemId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) => (await ReadAsync(c.Command("SELECT id, data FROM conversation_items WHERE conversation_id = @conversation AND id = @id", null,
            ("@conversation", conversationId), ("@id", itemId)), ct)).FirstOrDefault(), cancellationToken);

    public Task<bool> DeleteItemAsync(string conversationId, string itemId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("DELETE FROM conversation_items WHERE conversation_id = @conversation AND id = @id", t,
            ("@conversation", conversationId), ("@id", itemId)).RunAsync(ct) == 1, cancellationToken);

    internal static async Task InsertItemsAsync(NpgsqlConnection c, NpgsqlTransaction t, string conversationId, string project, IReadOnlyList<StoredItem> items,
        CancellationToken ct)
    {
        foreach (var item in items)
        {
            await c.Command("INSERT INTO conversation_items (id, project, conversation_id, data) VALUES (@id, @project, @conversation, @data) ON CONFLICT DO NOTHING", t,
                ("@id", item.Id), ("@project", project), ("@conversation", conversationId), ("@data", item.Data)).RunAsync(ct);
        }
    }

    private static async Task<List<StoredItem>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var items = new List<StoredItem>();
            while (await reader.ReadAsync(ct))
            {
                items.Add(new StoredItem(reader.GetString(0), reader.GetString(1)));
            }

            return items;
        }
    }
}
