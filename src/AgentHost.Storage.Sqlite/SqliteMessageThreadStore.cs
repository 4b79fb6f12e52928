using AgentHost.Core.Conversations;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IMessageThreadStore"/> on SQLite: one <c>message_thread_turns</c> row per turn. A unique index on
/// <c>previous_message_id</c> keeps each turn continued at most once, so a thread's rows up to a tip are its chain.
/// </summary>
public sealed class SqliteMessageThreadStore(SqliteDatabase database) : IMessageThreadStore
{
    internal const string Migration =
        """
        CREATE TABLE message_thread_turns (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
            thread_id TEXT NOT NULL, previous_message_id TEXT, session_id TEXT, model TEXT NOT NULL, created_at INTEGER NOT NULL,
            system TEXT, tools TEXT, input TEXT NOT NULL, reply TEXT NOT NULL, stop_reason TEXT);
        CREATE UNIQUE INDEX message_thread_turns_by_previous ON message_thread_turns (previous_message_id) WHERE previous_message_id IS NOT NULL;
        CREATE INDEX message_thread_turns_by_thread ON message_thread_turns (project, thread_id, seq);
        CREATE INDEX message_thread_turns_by_session ON message_thread_turns (project, session_id, seq) WHERE session_id IS NOT NULL;
        """;

    private const string Columns =
        "id, project, thread_id, previous_message_id, session_id, model, created_at, system, tools, input, reply, stop_reason";

    public async Task<MessageThreadChain?> GetChainAsync(string project, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var turns = ReadTurns(connection.Command(
            $"""
            SELECT {Columns} FROM message_thread_turns AS t
            JOIN (SELECT thread_id AS tip_thread, seq AS tip_seq FROM message_thread_turns WHERE id = @id AND project = @project) AS tip
              ON t.thread_id = tip.tip_thread AND t.seq <= tip.tip_seq
            WHERE t.project = @project ORDER BY t.seq
            """, null, ("@id", messageId), ("@project", project)));
        if (turns.Count == 0)
        {
            return null;
        }

        using var continued = connection.Command("SELECT EXISTS (SELECT 1 FROM message_thread_turns WHERE previous_message_id = @id)", null, ("@id", messageId));
        return new MessageThreadChain(turns, Convert.ToInt64(continued.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0);
    }

    public Task<bool> AppendAsync(MessageThreadTurn turn, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command(
            $"""
            INSERT INTO message_thread_turns ({Columns})
            SELECT @id, @project, @thread, @previous, @session, @model, @created, @system, @tools, @input, @reply, @stop
            WHERE @previous IS NULL OR EXISTS (SELECT 1 FROM message_thread_turns WHERE id = @previous AND project = @project)
            ON CONFLICT DO NOTHING
            """, t,
            ("@id", turn.Id), ("@project", turn.Project), ("@thread", turn.ThreadId), ("@previous", turn.PreviousMessageId),
            ("@session", turn.SessionId), ("@model", turn.Model), ("@created", turn.CreatedAt), ("@system", turn.System),
            ("@tools", turn.Tools), ("@input", turn.Input), ("@reply", turn.Reply), ("@stop", turn.StopReason)).Run() == 1, cancellationToken);

    public async Task<IReadOnlyList<MessageThreadTurn>> ListSessionTurnsAsync(string project, string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return ReadTurns(connection.Command($"SELECT {Columns} FROM message_thread_turns WHERE project = @project AND session_id = @session ORDER BY seq",
            null, ("@project", project), ("@session", sessionId)));
    }

    public async Task<IReadOnlyList<MessageThreadSummary>> ListThreadsAsync(string project, int limit, string? afterThreadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(
            """
            SELECT g.thread_id, g.turns, g.started, last.created_at, last.id, last.model, last.session_id
            FROM (SELECT thread_id, COUNT(*) AS turns, MIN(created_at) AS started, MAX(seq) AS last_seq
                  FROM message_thread_turns WHERE project = @project GROUP BY thread_id) AS g
            JOIN message_thread_turns AS last ON last.seq = g.last_seq
            WHERE @after IS NULL
               OR g.last_seq < (SELECT MAX(seq) FROM message_thread_turns WHERE project = @project AND thread_id = @after)
            ORDER BY g.last_seq DESC LIMIT @limit
            """, null, ("@project", project), ("@after", afterThreadId), ("@limit", limit));
        using var reader = command.ExecuteReader();
        var threads = new List<MessageThreadSummary>();
        while (reader.Read())
        {
            threads.Add(new MessageThreadSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return threads;
    }

    public Task<bool> DeleteThreadAsync(string project, string messageId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command(
            """
            DELETE FROM message_thread_turns WHERE project = @project
              AND thread_id = (SELECT thread_id FROM message_thread_turns WHERE id = @id AND project = @project)
            """, t, ("@project", project), ("@id", messageId)).Run() > 0, cancellationToken);

    private static List<MessageThreadTurn> ReadTurns(SqliteCommand command)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var turns = new List<MessageThreadTurn>();
            while (reader.Read())
            {
                turns.Add(new MessageThreadTurn
                {
                    Id = reader.GetString(0),
                    Project = reader.GetString(1),
                    ThreadId = reader.GetString(2),
                    PreviousMessageId = Text(3),
                    SessionId = Text(4),
                    Model = reader.GetString(5),
                    CreatedAt = reader.GetInt64(6),
                    System = Text(7),
                    Tools = Text(8),
                    Input = reader.GetString(9),
                    Reply = reader.GetString(10),
                    StopReason = Text(11),
                });
            }

            return turns;
        }
    }
}
