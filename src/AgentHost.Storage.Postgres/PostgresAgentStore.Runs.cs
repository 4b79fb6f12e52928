using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

public sealed partial class PostgresAgentStore
{
    private const string ResumableStatuses = "('queued', 'in_progress', 'cancelling')";

    public Task<ThreadRun?> TryCreateRunAsync(ThreadRun run, AssistantThread? newThread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await LockThreadAsync(c, t, run.ThreadId, ct);
            if (newThread is not null)
            {
                await InsertThreadAsync(c, t, newThread, ct);
            }
            else if (await c.Command(ActiveRunSql, t, ("@thread", run.ThreadId)).ReadOneAsync(Json.ThreadRun, ct) is { } active)
            {
                return active;
            }

            foreach (var message in messages)
            {
                await UpsertMessageAsync(c, t, message, ct);
            }

            await InsertRunAsync(c, t, run, streams?.WatchFor(run.Id), ct);
            return null;
        }, cancellationToken);

    /// <summary>Inserts the run; <paramref name="watchedBy"/> names the stream watching it from this node, if any (see <see cref="PostgresRunStreams"/>).</summary>
    internal static Task<int> InsertRunAsync(NpgsqlConnection c, NpgsqlTransaction t, ThreadRun run, string? watchedBy, CancellationToken ct) =>
        c.Command("INSERT INTO runs (id, project, api_key, thread_id, status, expires_at, watched_by, data) VALUES (@id, @write_project, @api_key, @thread, @status, @expires, @watched, @data)", t,
            ("@id", run.Id), PostgresCommands.WriteProject, ("@api_key", ProjectScope.KeyId), ("@thread", run.ThreadId), ("@status", run.Status), ("@expires", run.ExpiresAt), ("@watched", watchedBy),
            ("@data", PostgresCommands.Json(run, Json.ThreadRun))).RunAsync(ct);

    public Task<ThreadRun?> GetRunAsync(string threadId, string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM runs WHERE id = @id AND thread_id = @thread AND {PostgresCommands.InProject}", null, ("@id", id), ("@thread", threadId), PostgresCommands.Project)
            .ReadOneAsync(Json.ThreadRun, ct), cancellationToken);

    public Task<Page<ThreadRun>> ListRunsAsync(string threadId, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.ListPageAsync("runs", "thread_id = @thread", [("@thread", threadId)], query, Json.ThreadRun, ct), cancellationToken);

    /// <summary>A compare-and-set: under READ COMMITTED a second writer waits for the first and re-checks the status, so one wins.</summary>
    public Task<bool> TryUpdateRunAsync(ThreadRun run, string expectedStatus, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => UpdateRunAsync(c, t, run, expectedStatus, ct), cancellationToken);

    public Task<bool> TryUpdateRunWithStepAsync(ThreadRun run, string expectedStatus, RunStep step, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            if (!await UpdateRunAsync(c, t, run, expectedStatus, ct))
            {
                return false;
            }

            await SaveStepAsync(c, t, step, ct);
            return true;
        }, cancellationToken);

    public Task SaveStepAsync(RunStep step, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => SaveStepAsync(c, t, step, ct), cancellationToken);

    public Task<bool> TryUpdateRunAfterMessageAsync(ThreadRun run, string expectedStatus, ThreadMessage message, RunStep step, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await SaveStepAsync(c, t, step, ct);
            await UpsertMessageAsync(c, t, message, ct);
            return await UpdateRunAsync(c, t, run, expectedStatus, ct);
        }, cancellationToken);

    private const string UpdateRunSql =
        "UPDATE runs SET status = @status, expires_at = @expires, data = @data, watched_by = CASE WHEN @requeued THEN @watched ELSE watched_by END WHERE id = @id AND status = @expected";

    private const string UpdateIdleRunSql =
        "UPDATE runs SET status = @status, expires_at = @expires, data = @data, watched_by = CASE WHEN @requeued THEN @watched ELSE watched_by END, lease_owner = NULL, lease_until = NULL WHERE id = @id AND status = @expected";

    /// <summary>A move into <c>queued</c> starts a new stretch of execution: the run is stamped with the stream watching it here, or none.</summary>
    private async Task<bool> UpdateRunAsync(NpgsqlConnection c, NpgsqlTransaction t, ThreadRun run, string expectedStatus, CancellationToken ct)
    {
        var requeued = run.Status == RunStatus.Queued && expectedStatus != RunStatus.Queued;
        return await c.Command(RunStatus.IsIdle(run.Status) ? UpdateIdleRunSql : UpdateRunSql, t,
            ("@id", run.Id), ("@status", run.Status), ("@expires", run.ExpiresAt), ("@expected", expectedStatus), ("@requeued", requeued),
            ("@watched", requeued ? streams?.WatchFor(run.Id) : null), ("@data", PostgresCommands.Json(run, Json.ThreadRun))).RunAsync(ct) == 1;
    }

    private static Task<int> SaveStepAsync(NpgsqlConnection c, NpgsqlTransaction t, RunStep step, CancellationToken ct) => c.Command("""
        INSERT INTO steps (id, project, run_id, thread_id, status, data) VALUES (@id, @write_project, @run, @thread, @status, @data)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data
        """, t, ("@id", step.Id), PostgresCommands.WriteProject, ("@run", step.RunId), ("@thread", step.ThreadId), ("@status", step.Status),
        ("@data", PostgresCommands.Json(step, Json.RunStep))).RunAsync(ct);

    public Task<RunStep?> GetStepAsync(string threadId, string runId, string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM steps WHERE id = @id AND run_id = @run AND thread_id = @thread AND {PostgresCommands.InProject}", null, PostgresCommands.Project,
            ("@id", id), ("@run", runId), ("@thread", threadId)).ReadOneAsync(Json.RunStep, ct), cancellationToken);

    public Task<Page<RunStep>> ListStepsAsync(string threadId, string runId, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.ListPageAsync("steps", "run_id = @run AND thread_id = @thread", [("@run", runId), ("@thread", threadId)], query, Json.RunStep, ct),
            cancellationToken);

    public Task DiscardUnfinishedWorkAsync(string runId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("DELETE FROM messages WHERE run_id = @run AND status = 'in_progress'", t, ("@run", runId)).RunAsync(ct);
            await c.Command("DELETE FROM steps WHERE run_id = @run AND status = 'in_progress'", t, ("@run", runId)).RunAsync(ct);
        }, cancellationToken);

    /// <summary>
    /// Takes the run's row with <c>FOR UPDATE SKIP LOCKED</c>: a node that finds another node in the middle of leasing or
    /// changing the run moves on instead of queueing behind it. The lease also reads the run's watch: when a stream on
    /// another node watches the run, this node's events of it go there.
    /// </summary>
    public Task<LeasedRun?> TryLeaseRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        LeaseAsync(runId, owner, now, leaseUntil, null, cancellationToken);

    public Task<LeasedRun?> TryLeaseAndStartRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, long startedAt, CancellationToken cancellationToken) =>
        LeaseAsync(runId, owner, now, leaseUntil, startedAt, cancellationToken);

    /// <summary>Leases the run and, given <paramref name="startedAt"/>, moves a queued one to in_progress in the same transaction.</summary>
    private async Task<LeasedRun?> LeaseAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, long? startedAt, CancellationToken cancellationToken)
    {
        var (leased, watchedBy) = await database.WriteAsync(async (c, t, ct) =>
        {
            LeasedRun? lease;
            string? watched;
            await using (var command = c.Command($"""
                UPDATE runs SET lease_owner = @owner, lease_until = @until
                WHERE id = (SELECT id FROM runs WHERE id = @id AND status IN {ResumableStatuses}
                    AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @owner) FOR UPDATE SKIP LOCKED)
                RETURNING data, watched_by, project, api_key
                """, t, ("@id", runId), ("@owner", owner), ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds())))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return ((LeasedRun?)null, (string?)null);
                }

                lease = new LeasedRun(System.Text.Json.JsonSerializer.Deserialize(reader.GetString(0), Json.ThreadRun)!, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                watched = reader.IsDBNull(1) ? null : reader.GetString(1);
            }

            if (startedAt is { } at && lease.Run.Status == RunStatus.Queued)
            {
                var started = lease.Run with { Status = RunStatus.InProgress, StartedAt = at };
                if (await UpdateRunAsync(c, t, started, RunStatus.Queued, ct))
                {
                    var steps = await c.Command("SELECT data FROM steps WHERE run_id = @run ORDER BY seq", t, ("@run", runId)).ReadAllAsync(Json.RunStep, ct);
                    lease = lease with { Run = started, Started = true, Steps = steps };
                }
            }

            return (lease, watched);
        }, cancellationToken);
        if (leased is not null)
        {
            streams?.Leased(leased.Run.Id, watchedBy);
        }

        return leased;
    }

    public async Task<IReadOnlyList<string>> FindRunsToResumeAsync(DateTimeOffset now, DateTimeOffset queuedBefore, int max, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command($"""
            SELECT id FROM runs WHERE status IN {ResumableStatuses} AND (lease_until IS NULL OR lease_until < @now)
                AND (status <> 'queued' OR (data->>'created_at')::bigint < @queued_before) ORDER BY seq LIMIT @max
            """, null, ("@now", now.ToUnixTimeMilliseconds()), ("@queued_before", queuedBefore.ToUnixTimeSeconds()), ("@max", max))
            .ReadStringsAsync(ct), cancellationToken, PostgresPool.Leases);

    public async Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t, ct) => c.Command("UPDATE runs SET lease_until = @until WHERE lease_owner = @owner AND lease_until IS NOT NULL RETURNING id", t,
            ("@owner", owner), ("@until", leaseUntil.ToUnixTimeMilliseconds())).ReadStringsAsync(ct), cancellationToken, PostgresPool.Leases);

    public Task ReleaseLeaseAsync(string runId, string owner, CancellationToken cancellationToken)
    {
        streams?.Released(runId);
        return database.WriteAsync((c, t, ct) => c.Command("UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner", t,
            ("@id", runId), ("@owner", owner)).RunAsync(ct), cancellationToken);
    }

    public async Task<IReadOnlyList<ThreadRun>> FindExpiredRunsAsync(long nowUnixSeconds, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command("SELECT data FROM runs WHERE status = 'requires_action' AND expires_at <= @now", null, ("@now", nowUnixSeconds))
            .ReadAllAsync(Json.ThreadRun, ct), cancellationToken, PostgresPool.Leases);
}
