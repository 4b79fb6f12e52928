using AgentHost.Core.Conversations;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IMessageThreadStore"/> on PostgreSQL: one <c>message_thread_turns</c> row per turn. A unique index on
/// <c>previous_message_id</c> keeps each turn continued at most once, so a thread's rows up to a tip are its chain.
/// </summary>
public sealed class PostgresMessageThreadStore(PostgresDatabase database) : IMessageThreadStore
{
    private const string Columns =
        "id, project, thread_id, previous_message_id, session_id, model, created_at, system, tools, input, reply, stop_reason";

    public Task<MessageThreadChain?> GetChainAsync(string project, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var turns = await ReadTurnsAsync(c.Command($"""
                SELECT {string.Join(", ", Columns.Split(", ").Select(column => "t." + column))} FROM message_thread_turns AS t
                JOIN (SELECT thread_id AS tip_thread, seq AS tip_seq FROM message_thread_turns WHERE id = @id AND project = @project) AS tip
                  ON t.thread_id = tip.tip_thread AND t.seq <= tip.tip_seq
                WHERE t.project = @project ORDER BY t.seq
                """, null, ("@id", messageId), ("@project", project)), ct);
            if (turns.Count == 0)
            {
                return null;
            }

            await using var continued = c.Command("SELECT EXISTS (SELECT 1 FROM message_thread_turns WHERE previous_message_id = @id)", null, ("@id", messageId));
            return new MessageThreadChain(turns, await continued.ExecuteScalarAsync(ct) is true);
        }, cancellationToken);

    public Task<bool> AppendAsync(MessageThreadTurn turn, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command($"""
            INSERT INTO message_thread_turns ({Columns})
            SELECT @id, @project, @thread, @previous::text, @session::text, @model, @created, @system::text, @tools::text, @input, @reply, @stop::text
            WHERE @previous::text IS NULL OR EXISTS (SELECT 1 FROM message_thread_turns WHERE id = @previous::text AND project = @project)
            ON CONFLICT DO NOTHING
            """, t,
            ("@id", turn.Id), ("@project", turn.Project), ("@thread", turn.ThreadId), ("@previous", turn.PreviousMessageId),
            ("@session", turn.SessionId), ("@model", turn.Model), ("@created", turn.CreatedAt), ("@system", turn.System),
            ("@tools", turn.Tools), ("@input", turn.Input), ("@reply", turn.Reply), ("@stop", turn.StopReason)).RunAsync(ct) == 1, cancellationToken);

    public Task<IReadOnlyList<MessageThreadTurn>> ListSessionTurnsAsync(string project, string sessionId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MessageThreadTurn>>(async (c, ct) => await ReadTurnsAsync(c.Command(
            $"SELECT {Columns} FROM message_thread_turns WHERE project = @project AND session_id = @session ORDER BY seq", null,
            ("@project", project), ("@session", sessionId)), ct), cancellationToken);

    public Task<bool> DeleteThreadAsync(string project, string messageId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("""
            DELETE FROM message_thread_turns WHERE project = @project
              AND thread_id = (SELECT thread_id FROM message_thread_turns WHERE id = @id AND project = @project)
            """, t, ("@project", project), ("@id", messageId)).RunAsync(ct) > 0, cancellationToken);

    private static async Task<List<MessageThreadTurn>> ReadTurnsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var turns = new List<MessageThreadTurn>();
            while (await reader.ReadAsync(ct))
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
