using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// A thread's attachments index (<c>message_attachments</c>, one row per message, file and tool type; see
/// <see cref="MessageAttachmentRow"/>), written in the transaction that writes or deletes its messages, so a run's
/// <c>file_search</c> and <c>code_interpreter</c> read the files attached to a thread without reading the thread. A
/// message's rows go when it is rewritten or deleted, by trigger, so every path that changes messages (a thread's or a
/// response's deletion, a run's discarded work) keeps the index true; the writer adds the rows of a message with
/// attachments in the round trip that writes it. A message without attachments (every run's reply) costs nothing more.
/// </summary>
internal static class PostgresMessageAttachments
{
    /// <summary>The migration step (the last of <see cref="PostgresSchema"/>): the table, and its rows for the messages written before it.</summary>
    public const string Migration = """
        CREATE TABLE message_attachments (message_id text NOT NULL, project text NOT NULL DEFAULT 'default', thread_id text NOT NULL,
            message_seq bigint NOT NULL, position integer NOT NULL, file_id text NOT NULL, tool_type text NOT NULL,
            PRIMARY KEY (message_id, file_id, tool_type));
        CREATE INDEX message_attachments_by_thread ON message_attachments (thread_id, tool_type, message_seq, position);
        CREATE FUNCTION agenthost_unindex_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM message_attachments WHERE message_id = OLD.id;
            RETURN NULL;
        END $$;
        CREATE TRIGGER messages_unindex_attachments_on_update AFTER UPDATE OF data ON messages FOR EACH ROW
            WHEN (OLD.data->'attachments' IS DISTINCT FROM '[]'::jsonb) EXECUTE FUNCTION agenthost_unindex_attachments();
        CREATE TRIGGER messages_unindex_attachments_on_delete AFTER DELETE ON messages FOR EACH ROW
            WHEN (OLD.data->'attachments' IS DISTINCT FROM '[]'::jsonb) EXECUTE FUNCTION agenthost_unindex_attachments();
        INSERT INTO message_attachments (message_id, project, thread_id, message_seq, position, file_id, tool_type)
        SELECT m.id, m.project, m.thread_id, m.seq, MIN(a.n - 1), a.value->>'file_id', t.value->>'type'
        FROM messages AS m
            CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(m.data->'attachments') = 'array' THEN m.data->'attachments' ELSE '[]' END)
                WITH ORDINALITY AS a(value, n)
            CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.value->'tools') = 'array' THEN a.value->'tools' ELSE '[]' END) AS t(value)
        WHERE jsonb_typeof(a.value->'file_id') = 'string' AND jsonb_typeof(t.value->'type') = 'string'
        GROUP BY m.id, m.project, m.thread_id, m.seq, a.value->>'file_id', t.value->>'type';
        """;

    /// <summary>
    /// The statement that adds the index rows of the message <c>@id</c> (its old rows went by trigger), to follow its upsert
    /// in the same command (one round trip), with the parameters it reads besides <c>@id</c>; none for a message without
    /// attachments.
    /// </summary>
    public static (string Sql, (string Name, object? Value)[] Parameters) Write(ThreadMessage message)
    {
        var rows = MessageAttachmentRow.Of(message);
        if (rows.Count == 0)
        {
            return (string.Empty, []);
        }

        return ("""
            ;
            INSERT INTO message_attachments (message_id, project, thread_id, message_seq, position, file_id, tool_type)
            SELECT m.id, m.project, m.thread_id, m.seq, a.position, a.file_id, a.tool_type
            FROM messages AS m, unnest(@attachment_positions::integer[], @attachment_files::text[], @attachment_tools::text[]) AS a(position, file_id, tool_type)
            WHERE m.id = @id
            """,
            [
                ("@attachment_positions", rows.Select(r => r.Position).ToArray()),
                ("@attachment_files", rows.Select(r => r.FileId).ToArray()),
                ("@attachment_tools", rows.Select(r => r.ToolType).ToArray()),
            ]);
    }

    /// <summary>The distinct file ids of the thread's attachments for <paramref name="toolType"/>, first attached first.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlConnection c, string threadId, string toolType, CancellationToken ct)
    {
        var ids = await c.Command("SELECT file_id FROM message_attachments WHERE thread_id = @thread AND tool_type = @tool ORDER BY message_seq, position",
            null, ("@thread", threadId), ("@tool", toolType)).ReadStringsAsync(ct);
        return [.. ids.Distinct(StringComparer.Ordinal)];
    }
}
