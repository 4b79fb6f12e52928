using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IManagedAgentStore"/> on PostgreSQL: one row per agent version, environment or session (lists ordered by the
/// first version's row, <c>origin</c>), and one row per session event in the order it was appended.
/// </summary>
public sealed class PostgresManagedAgentStore(PostgresDatabase database) : IManagedAgentStore
{
    private const string Columns = "kind, id, version, project, created_at_ms, archived, parent_id, status, data";
    private const string EventColumns = "seq, id, type, run_id, call_id, processed_at_ms, data";

    public Task<bool> InsertAsync(ManagedObject managedObject, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            long? origin = null;
            await using (var latest = c.Command("SELECT version, origin FROM managed_objects WHERE kind = @kind AND id = @id AND latest FOR UPDATE", t,
                ("@kind", managedObject.Kind), ("@id", managedObject.Id)))
            await using (var reader = await latest.ExecuteReaderAsync(ct))
            {
                var found = await reader.ReadAsync(ct);
                if (managedObject.Version > 1 ? !found || reader.GetInt32(0) != managedObject.Version - 1 : found)
                {
                    return false;
                }

                origin = found ? reader.GetInt64(1) : null;
            }

            await c.Command("UPDATE managed_objects SET latest = false WHERE kind = @kind AND id = @id", t, ("@kind", managedObject.Kind), ("@id", managedObject.Id))
                .RunAsync(ct);
            await using var insert = c.Command($"""
                INSERT INTO managed_objects (origin, latest, {Columns})
                VALUES (COALESCE(@origin::bigint, 0), true, @kind, @id, @version, @project, @created, @archived, @parent, @status, @data)
                ON CONFLICT (kind, id, version) DO NOTHING RETURNING seq
                """, t,
                ("@origin", origin), ("@kind", managedObject.Kind), ("@id", managedObject.Id), ("@version", managedObject.Version), ("@project", managedObject.Project),
                ("@created", managedObject.CreatedAtMs), ("@archived", managedObject.Archived), ("@parent", managedObject.ParentId),
                ("@status", managedObject.Status), ("@data", managedObject.Data));
            if (await insert.ExecuteScalarAsync(ct) is not long seq)
            {
                return false;
            }

            if (origin is null)
            {
                await c.Command("UPDATE managed_objects SET origin = seq WHERE seq = @seq", t, ("@seq", seq)).RunAsync(ct);
            }

            return true;
        }, cancellationToken);

    public Task<bool> UpdateAsync(ManagedObject managedObject, string? expectedStatus, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("""
            UPDATE managed_objects SET archived = @archived, status = @status, data = @data
            WHERE kind = @kind AND id = @id AND version = @version AND (@expected::text IS NULL OR status = @expected::text)
            """, t,
            ("@kind", managedObject.Kind), ("@id", managedObject.Id), ("@version", managedObject.Version), ("@archived", managedObject.Archived),
            ("@status", managedObject.Status), ("@data", managedObject.Data), ("@expected", expectedStatus)).RunAsync(ct) == 1, cancellationToken);

    public Task<ManagedObject?> GetAsync(string kind, string id, int? version, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command($"""
                SELECT {Columns} FROM managed_objects WHERE kind = @kind AND id = @id AND (version = @version::integer OR (@version::integer IS NULL AND latest))
                """, null, ("@kind", kind), ("@id", id), ("@version", version));
            return (await ReadObjectsAsync(command, ct)).FirstOrDefault();
        }, cancellationToken);

    public Task<Page<ManagedObject>> ListAsync(string kind, ManagedListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var conditions = new List<string> { "kind = @kind", "latest", PostgresCommands.InProject };
            var parameters = new List<(string, object?)> { ("@kind", kind), PostgresCommands.Project };
            if (!query.IncludeArchived)
            {
                conditions.Add("NOT archived");
            }

            if (query.ParentId is not null)
            {
                conditions.Add("parent_id = @parent");
                parameters.Add(("@parent", query.ParentId));
            }

            if (query.Statuses.Count > 0)
            {
                conditions.Add("status = ANY(@statuses)");
                parameters.Add(("@statuses", query.Statuses.ToArray()));
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
                conditions.Add($"origin {(query.Ascending ? ">" : "<")} COALESCE((SELECT origin FROM managed_objects WHERE kind = @kind AND id = @after AND latest), {(query.Ascending ? "9223372036854775807" : "-1")})");
                parameters.Add(("@after", query.After));
            }

            var limit = Math.Min(query.Limit, int.MaxValue - 1);
            parameters.Add(("@limit", limit + 1L));
            await using var command = c.Command(
                $"SELECT {Columns} FROM managed_objects WHERE {string.Join(" AND ", conditions)} ORDER BY origin {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit",
                null, [.. parameters]);
            return Paged(await ReadObjectsAsync(command, ct), limit);
        }, cancellationToken);

    public Task<Page<ManagedObject>> ListVersionsAsync(string kind, string id, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var after = query.After is { } cursor && int.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : (int?)null;
            var limit = Math.Min(query.Limit, int.MaxValue - 1);
            await using var command = c.Command($"""
                SELECT {Columns} FROM managed_objects WHERE kind = @kind AND id = @id
                  AND (@after::integer IS NULL OR version {(query.Ascending ? ">" : "<")} @after::integer)
                ORDER BY version {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit
                """, null, ("@kind", kind), ("@id", id), ("@after", after), ("@limit", limit + 1L));
            return Paged(await ReadObjectsAsync(command, ct), limit);
        }, cancellationToken);

    public Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await using (var owned = c.Command($"SELECT 1 FROM managed_objects WHERE kind = @kind AND id = @id AND {PostgresCommands.InProject}", t,
                ("@kind", kind), ("@id", id), PostgresCommands.Project))
            {
                if (await owned.ExecuteScalarAsync(ct) is null)
                {
                    return false; // no such object in the caller's project
                }
            }

            if (kind == ManagedObjectKinds.Session)
            {
                foreach (var table in new[] { "steps", "runs", "messages" })
                {
                    await c.Command($"DELETE FROM {table} WHERE thread_id IN (SELECT run_id FROM managed_session_events WHERE session_id = @id AND run_id IS NOT NULL)", t,
                        ("@id", id)).RunAsync(ct);
                }

                await c.Command("DELETE FROM managed_session_events WHERE session_id = @id", t, ("@id", id)).RunAsync(ct);
            }

            return await c.Command("DELETE FROM managed_objects WHERE kind = @kind AND id = @id", t, ("@kind", kind), ("@id", id)).RunAsync(ct) > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<SessionEventRecord>> AppendEventsAsync(string sessionId, IReadOnlyList<SessionEventRecord> events, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<SessionEventRecord>>(async (c, t, ct) =>
        {
            // One appender at a time per session, so sequence numbers are committed in the order they were taken.
            await c.Command("SELECT pg_advisory_xact_lock(hashtext('agenthost.session_events.' || @session))", t, ("@session", sessionId)).RunAsync(ct);
            var stored = new List<SessionEventRecord>(events.Count);
            foreach (var sessionEvent in events)
            {
                await using var command = c.Command("""
                    INSERT INTO managed_session_events (session_id, id, type, run_id, call_id, processed_at_ms, data)
                    VALUES (@session, @id, @type, @run, @call, @processed, @data) RETURNING seq
                    """, t, ("@session", sessionId), ("@id", sessionEvent.Id), ("@type", sessionEvent.Type), ("@run", sessionEvent.RunId),
                    ("@call", sessionEvent.CallId), ("@processed", sessionEvent.ProcessedAtMs), ("@data", sessionEvent.Data));
                stored.Add(sessionEvent with { Sequence = (long)(await command.ExecuteScalarAsync(ct))! });
            }

            return stored;
        }, cancellationToken);

    public Task<Page<SessionEventRecord>> ListEventsAsync(string sessionId, SessionEventQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            var conditions = new List<string> { "session_id = @session" };
            var parameters = new List<(string, object?)> { ("@session", sessionId) };
            if (query.After is not null)
            {
                conditions.Add($"seq {(query.Ascending ? ">" : "<")} COALESCE((SELECT seq FROM managed_session_events WHERE session_id = @session AND id = @after), {(query.Ascending ? "9223372036854775807" : "-1")})");
                parameters.Add(("@after", query.After));
            }

            if (query.Types.Count > 0)
            {
                conditions.Add("type = ANY(@types)");
                parameters.Add(("@types", query.Types.ToArray()));
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
            await using var command = c.Command(
                $"SELECT {EventColumns} FROM managed_session_events WHERE {string.Join(" AND ", conditions)} ORDER BY seq {(query.Ascending ? "ASC" : "DESC")} LIMIT @limit",
                null, [.. parameters]);
            return Paged(await ReadEventsAsync(command, ct), limit);
        }, cancellationToken);

    public Task<IReadOnlyList<SessionEventRecord>> EventsAfterAsync(string sessionId, long afterSequence, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<SessionEventRecord>>(async (c, ct) =>
        {
            await using var command = c.Command($"SELECT {EventColumns} FROM managed_session_events WHERE session_id = @session AND seq > @after ORDER BY seq", null,
                ("@session", sessionId), ("@after", afterSequence));
            return await ReadEventsAsync(command, ct);
        }, cancellationToken);

    public Task<SessionEventRecord?> GetEventAsync(string sessionId, string eventId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command($"SELECT {EventColumns} FROM managed_session_events WHERE session_id = @session AND id = @id", null,
                ("@session", sessionId), ("@id", eventId));
            return (await ReadEventsAsync(command, ct)).FirstOrDefault();
        }, cancellationToken);

    private static Page<T> Paged<T>(List<T> items, int limit)
    {
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new Page<T>(items, hasMore);
    }

    private static async Task<List<ManagedObject>> ReadObjectsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var objects = new List<ManagedObject>();
        while (await reader.ReadAsync(cancellationToken))
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
                Archived = reader.GetBoolean(5),
                ParentId = reader.IsDBNull(6) ? null : reader.GetString(6),
                Status = reader.IsDBNull(7) ? null : reader.GetString(7),
                Data = reader.GetString(8),
            });
        }

        return objects;
    }

    private static async Task<List<SessionEventRecord>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<SessionEventRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new SessionEventRecord(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetString(6)) { Sequence = reader.GetInt64(0) });
        }

        return events;
    }
}
