using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary><see cref="IConversationStore"/> on SQLite; items are ordered by insertion (<c>seq</c>).</summary>
public sealed class SqliteConversationStore(SqliteDatabase database) : IConversationStore
{
    public Task CreateAsync(StoredConversation conversation, IReadOnlyList<StoredItem> items, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Command("INSERT INTO conversations (id, project, data) VALUES (@id, @project, @data)", t,
                ("@id", conversation.Id), ("@project", conversation.Project), ("@data", conversation.Data)).Run();
            InsertItems(c, t, conversation.Id, conversation.Project, items);
        }, cancellationToken);

    public async Task<StoredConversation?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT id, project, data FROM conversations WHERE id = @id AND {SqliteCommands.InProject}", null, ("@id", id), SqliteCommands.Project);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredConversation { Id = reader.GetString(0), Project = reader.GetString(1), Data = reader.GetString(2) } : null;
    }

    public Task<bool> UpdateAsync(StoredConversation conversation, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("UPDATE conversations SET data = @data WHERE id = @id", t,
            ("@id", conversation.Id), ("@data", conversation.Data)).Run() == 1, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (c.Command($"SELECT 1 FROM conversations WHERE id = @id AND {SqliteCommands.InProject}", t, ("@id", id), SqliteCommands.Project).Scalar() is null)
            {
                return false; // no such conversation in the caller's project
            }

            c.Command("DELETE FROM conversation_items WHERE conversation_id = @id", t, ("@id", id)).Run();
            return c.Command("DELETE FROM conversations WHERE id = @id", t, ("@id", id)).Run() == 1;
        }, cancellationToken);

    public Task<bool> AddItemsAsync(string conversationId, IReadOnlyList<StoredItem> items, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            using var command = c.Command("SELECT project FROM conversations WHERE id = @id", t, ("@id", conversationId));
            if (command.ExecuteScalar() is not string project)
            {
                return false;
            }

            InsertItems(c, t, conversationId, project, items);
            return true;
        }, cancellationToken);

    public async Task<Page<StoredItem>> ListItemsAsync(string conversationId, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var conditions = new List<string> { "conversation_id = @conversation" };
        var position = "(SELECT seq FROM conversation_items WHERE conversation_id = @conversation AND id = @{0})";
        if (query.After is not null)
        {
            conditions.Add($"seq {(query.Ascending ? ">" : "<")} COALESCE({string.Format(System.Globalization.CultureInfo.InvariantCulture, position, "after")}, {(query.Ascending ? "9223372036854775807" : "-1")})");
        }

        if (query.Before is not null)
        {
            conditions.Add($"seq {(query.Ascending ? "<" : ">")} COALESCE({string.Format(System.Globalization.CultureInfo.InvariantCulture, position, "before")}, {(query.Ascending ? "-1" : "9223372036854775807")})");
        }

        using var command = connection.Command(
            $"SELECT id, data FROM conversation_items WHERE {string.Join(" AND ", conditions)} ORDER BY seq {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit", null,
            ("@conversation", conversationId), ("@after", query.After), ("@before", query.Before), ("@limit", Math.Min(query.Limit, int.MaxValue - 1) + 1L));
        var items = Read(command);
        var hasMore = items.Count > query.Limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new Page<StoredItem>(items, hasMore);
    }

    public async Task<IReadOnlyList<StoredItem>> GetItemsAsync(string conversationId, string? throughItemId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("""
            SELECT id, data FROM conversation_items WHERE conversation_id = @conversation
              AND (@through IS NULL OR seq <= COALESCE((SELECT seq FROM conversation_items WHERE conversation_id = @conversation AND id = @through), 9223372036854775807))
            ORDER BY seq
            """, null, ("@conversation", conversationId), ("@through", throughItemId));
        return Read(command);
    }

    public async Task<StoredItem?> GetItemAsync(string conversationId, string itemId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("SELECT id, data FROM conversation_items WHERE conversation_id = @conversation AND id = @id", null,
            ("@conversation", conversationId), ("@id", itemId));
        return Read(command).FirstOrDefault();
    }

    public Task<bool> DeleteItemAsync(string conversationId, string itemId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("DELETE FROM conversation_items WHERE conversation_id = @conversation AND id = @id", t,
            ("@conversation", conversationId), ("@id", itemId)).Run() == 1, cancellationToken);

    internal static void InsertItems(SqliteConnection c, SqliteTransaction t, string conversationId, string project, IReadOnlyList<StoredItem> items)
    {
        foreach (var item in items)
        {
            c.Command("INSERT INTO conversation_items (id, project, conversation_id, data) VALUES (@id, @project, @conversation, @data) ON CONFLICT DO NOTHING", t,
                ("@id", item.Id), ("@project", project), ("@conversation", conversationId), ("@data", item.Data)).Run();
        }
    }

    private static List<StoredItem> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var items = new List<StoredItem>();
        while (reader.Read())
        {
            items.Add(new StoredItem(reader.GetString(0), reader.GetString(1)));
        }

        return items;
    }
}
