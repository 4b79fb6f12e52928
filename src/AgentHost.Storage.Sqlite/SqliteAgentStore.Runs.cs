using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

public sealed partial class SqliteAgentStore
{
    private const string ResumableStatuses = "('queued', 'in_progress', 'cancelling')";

    public Task<ThreadRun?> TryCreateRunAsync(ThreadRun run, AssistantThread? newThread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken)
    {
        var tokens = messages.Select(CountTokens).ToList();
        return database.WriteAsync((c, t) =>
        {
            if (newThread is not null)
            {
                InsertThread(c, t, newThread);
            }
            else if (c.Command(ActiveRunSql, t, ("@thread", run.ThreadId)).ReadOne(Json.ThreadRun) is { } active)
            {
                return active;
            }

            for (var i = 0; i < messages.Count; i++)
            {
                UpsertMessage(c, t, messages[i], tokens[i]);
            }

            InsertRun(c, t, run);
            return null;
        }, cancellationToken);
    }

    internal static void InsertRun(SqliteConnection c, SqliteTransaction t, ThreadRun run) =>
        c.Command("INSERT INTO runs (id, project, api_key, thread_id, status, expires_at, data) VALUES (@id, @write_project, @api_key, @thread, @status, @expires, @data)", t,
            ("@id", run.Id), SqliteCommands.WriteProject, ("@api_key", ProjectScope.KeyId), ("@thread", run.ThreadId), ("@status", run.Status), ("@expires", run.ExpiresAt),
            ("@data", JsonSerializer.Serialize(run, Json.ThreadRun))).Run();

    public async Task<ThreadRun?> GetRunAsync(string threadId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM runs WHERE id = @id AND thread_id = @thread AND {SqliteCommands.InProject}", null, ("@id", id), ("@thread", threadId), SqliteCommands.Project).ReadOne(Json.ThreadRun);
    }

    public async Task<Page<ThreadRun>> ListRunsAsync(string threadId, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.ListPage("runs", "thread_id = @thread", [("@thread", threadId)], query, Json.ThreadRun);
    }

    public Task<bool> TryUpdateRunAsync(ThreadRun run, string expectedStatus, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => UpdateRun(c, t, run, expectedStatus), cancellationToken);

    public Task<bool> TryUpdateRunWithStepAsync(ThreadRun run, string expectedStatus, RunStep step, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (!UpdateRun(c, t, run, expectedStatus))
            {
                return false;
            }

            SaveStep(c, t, step);
            return true;
        }, cancellationToken);

    public Task SaveStepAsync(RunStep step, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => SaveStep(c, t, step), cancellationToken);

    public Task<bool> TryUpdateRunAfterMessageAsync(ThreadRun run, string expectedStatus, ThreadMessage message, RunStep step, CancellationToken cancellationToken)
    {
        var tokens = CountTokens(message);
        return database.WriteAsync((c, t) =>
        {
            SaveStep(c, t, step);
            UpsertMessage(c, t, message, tokens);
            return UpdateRun(c, t, run, expectedStatus);
        }, cancellationToken);
    }

    private static bool UpdateRun(SqliteConnection c, SqliteTransaction t, ThreadRun run, string expectedStatus) => c.Command(
        RunStatus.IsIdle(run.Status)
            ? "UPDATE runs SET status = @status, expires_at = @expires, data = @data, lease_owner = NULL, lease_until = NULL WHERE id = @id AND status = @expected"
            : "UPDATE runs SET status = @status, expires_at = @expires, data = @data WHERE id = @id AND status = @expected", t,
        ("@id", run.Id), ("@status", run.Status), ("@expires", run.ExpiresAt), ("@expected", expectedStatus),
        ("@data", JsonSerializer.Serialize(run, Json.ThreadRun))).Run() == 1;

    private static void SaveStep(SqliteConnection c, SqliteTransaction t, RunStep step) => c.Command("""
        INSERT INTO steps (id, project, run_id, thread_id, status, data) VALUES (@id, @write_project, @run, @thread, @status, @data)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data
        """, t, ("@id", step.Id), SqliteCommands.WriteProject, ("@run", step.RunId), ("@thread", step.ThreadId), ("@status", step.Status),
        ("@data", JsonSerializer.Serialize(step, Json.RunStep))).Run();

    public async Task<RunStep?> GetStepAsync(string threadId, string runId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM steps WHERE id = @id AND run_id = @run AND thread_id = @thread AND {SqliteCommands.InProject}", null,
            SqliteCommands.Project, ("@id", id), ("@run", runId), ("@thread", threadId)).ReadOne(Json.RunStep);
    }

    public async Task<Page<RunStep>> ListStepsAsync(string threadId, string runId, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.ListPage("steps", "run_id = @run AND thread_id = @thread", [("@run", runId), ("@thread", threadId)], query, Json.RunStep);
    }

    public Task DiscardUnfinishedWorkAsync(string runId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Command("DELETE FROM messages WHERE run_id = @run AND status = 'in_progress'", t, ("@run", runId)).Run();
            c.Command("DELETE FROM steps WHERE run_id = @run AND status = 'in_progress'", t, ("@run", runId)).Run();
        }, cancellationToken);

    public Task<LeasedRun?> TryLeaseRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => LeaseRun(c, t, runId, owner, now, leaseUntil), cancellationToken);

    /// <summary>All a run's steps, oldest first, whatever the project in scope (the run's own, as the lease found it).</summary>
    private const string StepsOfRun = "SELECT data FROM steps WHERE run_id = @run ORDER BY seq";

    public Task<LeasedRun?> TryLeaseAndStartRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, long startedAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            var lease = LeaseRun(c, t, runId, owner, now, leaseUntil);
            if (lease is not { Run.Status: RunStatus.Queued })
            {
                return lease;
            }

            var started = lease.Run with { Status = RunStatus.InProgress, StartedAt = startedAt };
            return UpdateRun(c, t, started, RunStatus.Queued)
                ? lease with { Run = started, Started = true, Steps = c.Command(StepsOfRun, t, ("@run", runId)).ReadAll(Json.RunStep) }
                : lease;
        }, cancellationToken);

    private static LeasedRun? LeaseRun(SqliteConnection c, SqliteTransaction t, string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        using var command = c.Command($"""
            UPDATE runs SET lease_owner = @owner, lease_until = @until
            WHERE id = @id AND status IN {ResumableStatuses} AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @owner)
            RETURNING data, project, api_key
            """, t, ("@id", runId), ("@owner", owner), ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds()));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new LeasedRun(JsonSerializer.Deserialize(reader.GetString(0), Json.ThreadRun)!, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    public async Task<IReadOnlyList<string>> FindRunsToResumeAsync(DateTimeOffset now, DateTimeOffset queuedBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command($"""
            SELECT id FROM runs WHERE status IN {ResumableStatuses} AND (lease_until IS NULL OR lease_until < @now)
                AND (status <> 'queued' OR json_extract(data, '$.created_at') < @queued_before) ORDER BY seq LIMIT @max
            """, null, ("@now", now.ToUnixTimeMilliseconds()), ("@queued_before", queuedBefore.ToUnixTimeSeconds()), ("@max", max));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<string>>((c, t) =>
        {
            using var command = c.Command("UPDATE runs SET lease_until = @until WHERE lease_owner = @owner AND lease_until IS NOT NULL RETURNING id", t,
                ("@owner", owner), ("@until", leaseUntil.ToUnixTimeMilliseconds()));
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }, cancellationToken);

    public Task ReleaseLeaseAsync(string runId, string owner, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner", t,
            ("@id", runId), ("@owner", owner)).Run(), cancellationToken);

    public async Task<IReadOnlyList<ThreadRun>> FindExpiredRunsAsync(long nowUnixSeconds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command("SELECT data FROM runs WHERE status = 'requires_action' AND expires_at <= @now", null, ("@now", nowUnixSeconds))
            .ReadAll(Json.ThreadRun);
    }
}
