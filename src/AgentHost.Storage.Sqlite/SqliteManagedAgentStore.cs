using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IManagedAgentStore"/> on SQLite: one row per agent version, environment or session (lists ordered by the
/// first version's row, <c>origin</c>), and one row per session event in the order it was appended.
/// </summary>
public sealed class SqliteManagedAgentStore(SqliteDatabase database) : IManagedAgentStore
{
    internal const string Migration = """
        CREATE TABLE managed_objects (seq INTEGER PRIMARY KEY AUTOINCREMENT, origin INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL,
            id TEXT NOT NULL, version INTEGER NOT NULL, latest INTEGER NOT NULL, project TEXT NOT NULL, created_at_ms INTEGER NOT NULL,
            archived INTEGER NOT NULL, parent_id TEXT, status TEXT, data TEXT NOT NULL, UNIQUE (kind, id, version));
        CREATE INDEX managed_objects_latest ON managed_objects (kind, latest, origin);
        CREATE TABLE managed_session_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, id TEXT NOT NULL,
            project TEXT NOT NULL DEFAULT 'default',
            type TEXT NOT NULL, run_id TEXT, call_id TEXT, processed_at_ms INTEGER NOT NULL, data TEXT NOT NULL, UNIQUE (session_id, id));
        CREATE INDEX managed_session_events_by_session ON managed_session_events (session_id, seq);
        """;

    private const string Columns = "kind, id, version, project, created_at_ms, archived, parent_id, status, data";
    private const string EventColumns = "seq, id, type, run_id, call_id, processed_at_ms, data";

    public Task<bool> InsertAsync(ManagedObject managedObject, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            long origin = 0;
            if (managedObject.Version > 1)
            {
                using var latest = c.Command("SELECT version, origin FROM managed_objects WHERE kind = @kind AND id = @id AND latest = 1", t,
                    ("@kind", managedObject.Kind), ("@id", managedObject.Id));
                using var reader = latest.ExecuteReader();
                if (!reader.Read() || reader.GetInt64(0) != managedObject.Version - 1)
                {
                    return false;
                }

                origin = reader.GetInt64(1);
            }
            else
            {
                using var existing = c.Command("SELECT 1 FROM managed_objects WHERE kind = @kind AND id = @id", t, ("@kind", managedObject.Kind), ("@id", managedObject.Id));
                if (existing.ExecuteScalar() is not null)
                {
                    return false;
                }
            }

            c.Command("UPDATE managed_objects SET latest = 0 WHERE kind = @kind AND id = @id", t, ("@kind", managedObject.Kind), ("@id", managedObject.Id)).Run();
            using var insert = c.Command($"""
                INSERT INTO managed_objects (origin, latest, {Columns})
                VALUES (@origin, 1, @kind, @id, @version, @project, @created, @archived, @parent, @status, @data) RETURNING seq
                """, t,
                ("@origin", origin), ("@kind", managedObject.Kind), ("@id", managedObject.Id), ("@version", managedObject.Version), ("@project", managedObject.Project),
                ("@created", managedObject.CreatedAtMs), ("@archived", managedObject.Archived ? 1 : 0), ("@parent", managedObject.ParentId),
                ("@status", managedObject.Status), ("@data", managedObject.Data));
            var seq = (long)insert.ExecuteScalar()!;
            if (origin == 0)
            {
                c.Command("UPDATE managed_objects SET origin = seq WHERE seq = @seq", t, ("@seq", seq)).Run();
            }

            return true;
        }, cancellationToken);

    public Task<bool> UpdateAsync(ManagedObject managedObject, string? expectedStatus, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("""
            UPDATE managed_objects SET archived = @archived, status = @status, data = @data
            WHERE kind = @kind AND id = @id AND version = @version AND (@expected IS NULL OR status = @expected)
            """, t,
            ("@kind", managedObject.Kind), ("@id", managedObject.Id), ("@version", managedObject.Version), ("@archived", managedObject.Archived ? 1 : 0),
            ("@status", managedObject.Status), ("@data", managedObject.Data), ("@expected", expectedStatus)).Run() == 1, cancellationToken);

    public async Task<ManagedObject?> GetAsync(string kind, string id, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"""
            SELECT {Columns} FROM managed_objects WHERE kind = @kind AND id = @id AND (version = @version OR (@version IS NULL AND latest = 1))
            """, null, ("@kind", kind), ("@id", id), ("@version", version));
        return ReadObjects(command).FirstOrDefault();
    }

    public async Task<Page<ManagedObject>> ListAsync(string kind, ManagedListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var conditions = new List<string> { "kind = @kind", "latest = 1", SqliteCommands.InProject };
        var parameters = new List<(string, object?)> { ("@kind", kind), SqliteCommands.Project };
        if (!query.IncludeArchived)
        {
            conditions.Add("archived = 0");
        }

        if (query.ParentId is not null)
        {
            conditions.Add("parent_id = @parent");
            parameters.Add(("@parent", query.ParentId));
        }

        for (var i = 0; i < query.Statuses.Count; i++)
        {
            parameters.Add(($"@status{i}", query.Statuses[i]));
        }

        if (query.Statuses.Count > 0)
        {
            conditions.Add($"status IN ({string.Join(", ", query.Statuses.Select((_, i) => $"@status{i}"))})");
        }

        if (query.CreatedFromMs is { } from)
        {
            conditions.Add("created_at_ms >= @from");
            parameters.Add(("@from", from));
        }

        if (query.CreatedToMs is { } to)
        {
            conditions.Add("created_at_ms <= @to");
            parameters.Add(("@to", to));
        }

        if (query.After is not null)
        {
            conditions.Add($"origin {(query.Ascending ? ">" : "<")} COALESCE((SELECT origin FROM managed_objects WHERE kind = @kind AND id = @after AND latest = 1), {(query.Ascending ? "9223372036854775807" : "-1")})");
            parameters.Add(("@after", query.After));
        }

        var limit = Math.Min(query.Limit, int.MaxValue - 1);
        parameters.Add(("@limit", limit + 1L));
        using var command = connection.Command(
            $"SELECT {Columns} FROM managed_objects WHERE {string.Join(" AND ", conditions)} ORDER BY origin {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit",
            null, [.. parameters]);
        return Paged(ReadObjects(command), limit);
    }

    public async Task<Page<ManagedObject>> ListVersionsAsync(string kind, string id, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var after = query.After is { } cursor && int.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : (int?)null;
        var limit = Math.Min(query.Limit, int.MaxValue - 1);
        using var command = connection.Command($"""
            SELECT {Columns} FROM managed_objects WHERE kind = @kind AND id = @id
              AND (@after IS NULL OR version {(query.Ascending ? ">" : "<")} @after)
            ORDER BY version {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit
            """, null, ("@kind", kind), ("@id", id), ("@after", after), ("@limit", limit + 1L));
        return Paged(ReadObjects(command), limit);
    }

    public Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (c.Command($"SELECT 1 FROM managed_objects WHERE kind = @kind AND id = @id AND {SqliteCommands.InProject}", t,
                ("@kind", kind), ("@id", id), SqliteCommands.Project).Scalar() is null)
            {
                return false; // no such object in the caller's project
            }

            if (kind == ManagedObjectKinds.Session)
            {
                foreach (var table in new[] { "steps", "runs", "messages" })
                {
                    c.Command($"DELETE FROM {table} WHERE thread_id IN (SELECT run_id FROM managed_session_events WHERE session_id = @id AND run_id IS NOT NULL)", t,
                        ("@id", id)).Run();
                }

                c.Command("DELETE FROM managed_session_events WHERE session_id = @id", t, ("@id", id)).Run();
            }

            return c.Command("DELETE FROM managed_objects WHERE kind = @kind AND id = @id", t, ("@kind", kind), ("@id", id)).Run() > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<SessionEventRecord>> AppendEventsAsync(string sessionId, IReadOnlyList<SessionEventRecord> events, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<SessionEventRecord>>((c, t) =>
        {
            var stored = new List<SessionEventRecord>(events.Count);
            foreach (var sessionEvent in events)
            {
                using var command = c.Command("""
                    INSERT INTO managed_session_events (session_id, id, type, run_id, call_id, processed_at_ms, data)
                    VALUES (@session, @id, @type, @run, @call, @processed, @data) RETURNING seq
                    """, t, ("@session", sessionId), ("@id", sessionEvent.Id), ("@type", sessionEvent.Type), ("@run", sessionEvent.RunId),
                    ("@call", sessionEvent.CallId), ("@processed", sessionEvent.ProcessedAtMs), ("@data", sessionEvent.Data));
                stored.Add(sessionEvent with { Sequence = (long)command.ExecuteScalar()! });
            }

            return stored;
        }, cancellationToken);

    public async Task<Page<SessionEventRecord>> ListEventsAsync(string sessionId, SessionEventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var conditions = new List<string> { "session_id = @session" };
        var parameters = new List<(string, object?)> { ("@session", sessionId) };
        if (query.After is not null)
        {
            conditions.Add($"seq {(query.Ascending ? ">" : "<")} COALESCE((SELECT seq FROM managed_session_events WHERE session_id = @session AND id = @after), {(query.Ascending ? "9223372036854775807" : "-1")})");
            parameters.Add(("@after", query.After));
        }

        for (var i = 0; i < query.Types.Count; i++)
        {
            parameters.Add(($"@type{i}", query.Types[i]));
        }

        if (query.Types.Count > 0)
        {
            conditions.Add($"type IN ({string.Join(", ", query.Types.Select((_, i) => $"@type{i}"))})");
        }

        if (query.ProcessedAfterMs is { } afterMs)
        {
            conditions.Add("processed_at_ms > @afterMs");
            parameters.Add(("@afterMs", afterMs));
        }

        if (query.ProcessedBeforeMs is { } beforeMs)
        {
            conditions.Add("processed_at_ms < @beforeMs");
            parameters.Add(("@beforeMs", beforeMs));
        }

        var limit = Math.Min(query.Limit, int.MaxValue - 1);
        parameters.Add(("@limit", limit + 1L));
        using var command = connection.Command(
            $"SELECT {EventColumns} FROM managed_session_events WHERE {string.Join(" AND ", conditions)} ORDER BY seq {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit",
            null, [.. parameters]);
        return Paged(ReadEvents(command), limit);
    }

    public async Task<IReadOnlyList<SessionEventRecord>> EventsAfterAsync(string sessionId, long afterSequence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT {EventColumns} FROM managed_session_events WHERE session_id = @session AND seq > @after ORDER BY seq", null,
            ("@session", sessionId), ("@after", afterSequence));
        return ReadEvents(command);
    }

    public async Task<SessionEventRecord?> GetEventAsync(string sessionId, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"SELECT {EventColumns} FROM managed_session_events WHERE session_id = @session AND id = @id", null,
            ("@session", sessionId), ("@id", eventId));
        return ReadEvents(command).FirstOrDefault();
    }

    private static Page<T> Paged<T>(List<T> items, int limit)
    {
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new Page<T>(items, hasMore);
    }

    private static List<ManagedObject> ReadObjects(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var objects = new List<ManagedObject>();
        while (reader.Read())
        {
            if (!ProjectScope.Allows(reader.GetString(3)))
            {
                continue; // another project's object is not there
            }

            objects.Add(new ManagedObject
            {
                Kind = reader.GetString(0),
                Id = reader.GetString(1),
                Version = reader.GetInt32(2),
                Project = reader.GetString(3),
                CreatedAtMs = reader.GetInt64(4),
                Archived = reader.GetInt64(5) != 0,
                ParentId = reader.IsDBNull(6) ? null : reader.GetString(6),
                Status = reader.IsDBNull(7) ? null : reader.GetString(7),
                Data = reader.GetString(8),
            });
        }

        return objects;
    }

    private static List<SessionEventRecord> ReadEvents(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var events = new List<SessionEventRecord>();
        while (reader.Read())
        {
            events.Add(new SessionEventRecord(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetString(6)) { Sequence = reader.GetInt64(0) });
        }

        return events;
    }
}
