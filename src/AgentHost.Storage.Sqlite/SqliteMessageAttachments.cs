using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// A thread's attachments index (<c>message_attachments</c>, one row per message, file and tool type; see
/// <see cref="MessageAttachmentRow"/>), written in the transaction that writes or deletes its messages, so a run's
/// <c>file_search</c> and <c>code_interpreter</c> read the files attached to a thread without reading the thread. A
/// message's rows go when it is rewritten or deleted, by trigger, so every path that changes messages (a thread's or a
/// response's deletion, a run's discarded work) keeps the index true; the writer adds the rows of a message with
/// attachments after writing it. A message without attachments (every run's reply) costs no extra statement.
/// </summary>
internal static class SqliteMessageAttachments
{
    /// <summary>The migration (appended to <see cref="SqliteSchema"/>): the table, and its rows for the messages written before it.</summary>
    public const string Migration = """
        CREATE TABLE message_attachments (message_id TEXT NOT NULL, project TEXT NOT NULL DEFAULT 'default', thread_id TEXT NOT NULL,
            message_seq INTEGER NOT NULL, position INTEGER NOT NULL, file_id TEXT NOT NULL, tool_type TEXT NOT NULL,
            PRIMARY KEY (message_id, file_id, tool_type)) WITHOUT ROWID;
        CREATE INDEX message_attachments_by_thread ON message_attachments (thread_id, tool_type, message_seq, position);
        CREATE TRIGGER messages_unindex_attachments_on_update AFTER UPDATE OF data ON messages
        BEGIN
            DELETE FROM message_attachments WHERE message_id = OLD.id;
        END;
        CREATE TRIGGER messages_unindex_attachments_on_delete AFTER DELETE ON messages
        BEGIN
            DELETE FROM message_attachments WHERE message_id = OLD.id;
        END;
        INSERT INTO message_attachments (message_id, project, thread_id, message_seq, position, file_id, tool_type)
        SELECT m.id, m.project, m.thread_id, m.seq, MIN(CAST(a.key AS INTEGER)), json_extract(a.value, '$.file_id'), json_extract(t.value, '$.type')
        FROM messages AS m, json_each(m.data, '$.attachments') AS a, json_each(a.value, '$.tools') AS t
        WHERE json_type(m.data, '$.attachments') = 'array' AND json_type(a.value, '$.tools') = 'array'
            AND json_type(a.value, '$.file_id') = 'text' AND json_type(t.value, '$.type') = 'text'
        GROUP BY m.id, json_extract(a.value, '$.file_id'), json_extract(t.value, '$.type');
        """;

    /// <summary>Adds the index rows of <paramref name="message"/>, just written in <paramref name="t"/> (its old rows went by trigger).</summary>
    public static void Write(SqliteConnection c, SqliteTransaction t, ThreadMessage message)
    {
        foreach (var row in MessageAttachmentRow.Of(message))
        {
            c.Command("""
                INSERT INTO message_attachments (message_id, project, thread_id, message_seq, position, file_id, tool_type)
                SELECT id, project, thread_id, seq, @position, @file, @tool FROM messages WHERE id = @id
                """, t, ("@id", message.Id), ("@position", row.Position), ("@file", row.FileId), ("@tool", row.ToolType)).Run();
        }
    }

    /// <summary>The distinct file ids of the thread's attachments for <paramref name="toolType"/>, first attached first.</summary>
    public static List<string> Read(SqliteConnection c, string threadId, string toolType)
    {
        using var command = c.Command("""
            SELECT file_id FROM message_attachments WHERE thread_id = @thread AND tool_type = @tool ORDER BY message_seq, position
            """, null, ("@thread", threadId), ("@tool", toolType));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}
