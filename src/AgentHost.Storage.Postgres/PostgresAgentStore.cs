using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IAgentStore"/> on PostgreSQL. Objects are stored as <c>jsonb</c>; the columns beside it are the ones
/// queried (thread, run, status, leases). Ordering follows insertion (<c>seq</c>), as ids are random. Writes that
/// enforce one active run per thread take a transaction-scoped advisory lock on the thread id, so they serialize per
/// thread across every node while other threads proceed. With <paramref name="streams"/> (many nodes), a run queued
/// while a stream here watches it is stamped for the node that executes it (<see cref="PostgresRunStreams"/>).
/// </summary>
/// <param name="tokens">Counts each message's prompt tokens as it is written (<see cref="PromptTokens"/>); o200k when not given.</param>
public sealed partial class PostgresAgentStore(PostgresDatabase database, PostgresRunStreams? streams = null, ITokenCounter? tokens = null) : IAgentStore
{
    private static readonly CoreJsonContext Json = CoreJsonContext.Default;

    private readonly PromptTokens promptTokens = new(tokens ?? new TiktokenCounter());

    public Task CreateAssistantAsync(Assistant assistant, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("INSERT INTO assistants (id, project, data) VALUES (@id, @write_project, @data)", t,
            ("@id", assistant.Id), PostgresCommands.WriteProject, ("@data", PostgresCommands.Json(assistant, Json.Assistant))).RunAsync(ct), cancellationToken);

    public Task<Assistant?> GetAssistantAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM assistants WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project).ReadOneAsync(Json.Assistant, ct), cancellationToken);

    public Task UpdateAssistantAsync(Assistant assistant, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("UPDATE assistants SET data = @data WHERE id = @id", t,
            ("@id", assistant.Id), ("@data", PostgresCommands.Json(assistant, Json.Assistant))).RunAsync(ct), cancellationToken);

    public Task<bool> DeleteAssistantAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command($"DELETE FROM assistants WHERE id = @id AND {PostgresCommands.InProject}", t, ("@id", id), PostgresCommands.Project).RunAsync(ct) > 0, cancellationToken);

    public Task<Page<Assistant>> ListAssistantsAsync(ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.ListPageAsync("assistants", "TRUE", [], query, Json.Assistant, ct), cancellationToken);

    public Task CreateThreadAsync(AssistantThread thread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await InsertThreadAsync(c, t, thread, ct);
            foreach (var message in messages)
            {
                await UpsertMessageAsync(c, t, message, ct);
            }
        }, cancellationToken);

    public Task<AssistantThread?> GetThreadAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM threads WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project).ReadOneAsync(Json.AssistantThread, ct), cancellationToken);

    public Task UpdateThreadAsync(AssistantThread thread, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("UPDATE threads SET data = @data WHERE id = @id", t,
            ("@id", thread.Id), ("@data", PostgresCommands.Json(thread, Json.AssistantThread))).RunAsync(ct), cancellationToken);

    public Task<bool> DeleteThreadAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            await LockThreadAsync(c, t, id, ct);
            await using (var owned = c.Command($"SELECT 1 FROM threads WHERE id = @id AND {PostgresCommands.InProject}", t, ("@id", id), PostgresCommands.Project))
            {
                if (await owned.ExecuteScalarAsync(ct) is null)
                {
                    return false; // no such thread in the caller's project
                }
            }

            // Spend stays in the ledger (the money was spent; keys' and assistants' totals keep it), no longer tied to the thread.
            await PostgresUsageLedger.ForgetThreadAsync(c, t, id, ct);
            foreach (var table in new[] { "steps", "runs", "messages", "trace_spans" })
            {
                await c.Command($"DELETE FROM {table} WHERE thread_id = @id", t, ("@id", id)).RunAsync(ct);
            }

            return await c.Command("DELETE FROM threads WHERE id = @id", t, ("@id", id)).RunAsync(ct) > 0;
        }, cancellationToken);

    /// <summary>Serializes, until the transaction ends, the writes that check and change what is active on a thread.</summary>
    private static Task LockThreadAsync(NpgsqlConnection c, NpgsqlTransaction t, string threadId, CancellationToken ct) =>
        c.Command("SELECT pg_advisory_xact_lock(hashtext('agenthost.thread.' || @thread))", t, ("@thread", threadId)).RunAsync(ct);

    private static Task InsertThreadAsync(NpgsqlConnection c, NpgsqlTransaction t, AssistantThread thread, CancellationToken ct) =>
        c.Command("INSERT INTO threads (id, project, data) VALUES (@id, @write_project, @data)", t,
            ("@id", thread.Id), PostgresCommands.WriteProject, ("@data", PostgresCommands.Json(thread, Json.AssistantThread))).RunAsync(ct);
}
