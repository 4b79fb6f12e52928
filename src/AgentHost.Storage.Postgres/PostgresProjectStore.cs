using AgentHost.Core.Tenancy;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IProjectStore"/> on PostgreSQL: <c>projects</c> and <c>project_keys</c> (the key's hash, never its value).
/// The default project's row is written on first use rather than by the migration, so a new schema holds no rows and
/// <c>agenthost migrate</c> can import into it.
/// </summary>
public sealed class PostgresProjectStore(PostgresDatabase database) : IProjectStore
{
    private volatile bool defaultWritten;

    private const string ProjectColumns = "project, name, created_at, archived_at";
    private const string KeyColumns = "id, project, name, service_account_id, redacted_value, created_at, key_hash, last_used_at";

    public async Task CreateProjectAsync(Project project, CancellationToken cancellationToken) =>
        await (await WithDefaultAsync(cancellationToken)).WriteAsync((c, t, ct) => c.Command($"INSERT INTO projects ({ProjectColumns}) VALUES (@id, @name, @created, @archived)", t,
            ("@id", project.Id), ("@name", project.Name), ("@created", project.CreatedAt), ("@archived", project.ArchivedAt)).RunAsync(ct), cancellationToken);

    public async Task<Project?> GetProjectAsync(string id, CancellationToken cancellationToken) =>
        (await (await WithDefaultAsync(cancellationToken)).ReadAsync((c, ct) => ReadProjectsAsync(c.Command($"SELECT {ProjectColumns} FROM projects WHERE project = @id", null, ("@id", id)), ct),
            cancellationToken)).FirstOrDefault();

    public async Task<Page<Project>> ListProjectsAsync(ListQuery query, bool includeArchived, CancellationToken cancellationToken)
    {
        var (where, parameters) = PageOf("projects", "project", includeArchived ? "TRUE" : "archived_at IS NULL", query);
        var items = await (await WithDefaultAsync(cancellationToken)).ReadAsync((c, ct) => ReadProjectsAsync(c.Command($"SELECT {ProjectColumns} FROM projects WHERE {where}", null, parameters), ct),
            cancellationToken);
        return Trim(items, query);
    }

    public Task<bool> UpdateProjectAsync(Project project, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("UPDATE projects SET name = @name, archived_at = @archived WHERE project = @id", t,
            ("@id", project.Id), ("@name", project.Name), ("@archived", project.ArchivedAt)).RunAsync(ct) > 0, cancellationToken);

    public Task CreateKeyAsync(ProjectKey key, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("INSERT INTO project_keys (id, project, name, service_account_id, redacted_value, created_at, key_hash) VALUES (@id, @project, @name, @account, @redacted, @created, @hash)", t,
            ("@id", key.Id), ("@project", key.Project), ("@name", key.Name), ("@account", key.ServiceAccountId), ("@redacted", key.RedactedValue),
            ("@created", key.CreatedAt), ("@hash", key.Hash)).RunAsync(ct), cancellationToken);

    public Task<ProjectKeyMatch?> FindKeyAsync(string hash, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command($"""
                SELECT {string.Join(", ", KeyColumns.Split(", ").Select(column => "k." + column))}, p.archived_at IS NOT NULL
                FROM project_keys k JOIN projects p ON p.project = k.project WHERE k.key_hash = @hash
                """, null, ("@hash", hash));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new ProjectKeyMatch(ReadKey(reader), reader.GetBoolean(8)) : null;
        }, cancellationToken);

    public async Task<ProjectKey?> GetKeyAsync(string project, string id, CancellationToken cancellationToken) =>
        (await database.ReadAsync((c, ct) => ReadKeysAsync(c.Command($"SELECT {KeyColumns} FROM project_keys WHERE id = @id AND project = @project", null,
            ("@id", id), ("@project", project)), ct), cancellationToken)).FirstOrDefault();

    public async Task<Page<ProjectKey>> ListKeysAsync(string project, ListQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = PageOf("project_keys", "id", "project = @project", query);
        var items = await database.ReadAsync((c, ct) => ReadKeysAsync(c.Command($"SELECT {KeyColumns} FROM project_keys WHERE {where}", null,
            [.. parameters, ("@project", project)]), ct), cancellationToken);
        return Trim(items, query);
    }

    public Task<bool> DeleteKeyAsync(string project, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) => await c.Command("DELETE FROM project_keys WHERE id = @id AND project = @project", t,
            ("@id", id), ("@project", project)).RunAsync(ct) > 0, cancellationToken);

    public Task MarkKeyUsedAsync(string id, long usedAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("UPDATE project_keys SET last_used_at = @at WHERE id = @id AND COALESCE(last_used_at, 0) < @at", t,
            ("@id", id), ("@at", usedAt)).RunAsync(ct), cancellationToken);

    public Task<IReadOnlyList<Core.RateLimits.ProjectRateLimit>> ListRateLimitsAsync(string project, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Core.RateLimits.ProjectRateLimit>>(async (c, ct) =>
        {
            await using var command = c.Command(
                "SELECT model, max_requests_per_1_minute, max_tokens_per_1_minute FROM project_rate_limits WHERE project = @project ORDER BY model", null, ("@project", project));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var limits = new List<Core.RateLimits.ProjectRateLimit>();
            while (await reader.ReadAsync(ct))
            {
                limits.Add(new()
                {
                    Project = project,
                    Model = reader.GetString(0),
                    MaxRequestsPerMinute = reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    MaxTokensPerMinute = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                });
            }

            return limits;
        }, cancellationToken);

    public Task SaveRateLimitAsync(Core.RateLimits.ProjectRateLimit limit, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("""
            INSERT INTO project_rate_limits (project, model, max_requests_per_1_minute, max_tokens_per_1_minute) VALUES (@project, @model, @requests, @tokens)
            ON CONFLICT (project, model) DO UPDATE SET max_requests_per_1_minute = excluded.max_requests_per_1_minute, max_tokens_per_1_minute = excluded.max_tokens_per_1_minute
            """, t, ("@project", limit.Project), ("@model", limit.Model), ("@requests", limit.MaxRequestsPerMinute), ("@tokens", limit.MaxTokensPerMinute)).RunAsync(ct),
            cancellationToken);

    private async Task<PostgresDatabase> WithDefaultAsync(CancellationToken cancellationToken)
    {
        if (!defaultWritten)
        {
            await database.WriteAsync((c, t, ct) => c.Command(
                "INSERT INTO projects (project, name, created_at) VALUES (@id, 'Default project', extract(epoch FROM now())::bigint) ON CONFLICT (project) DO NOTHING", t,
                ("@id", Projects.Default)).RunAsync(ct), cancellationToken);
            defaultWritten = true;
        }

        return database;
    }

    /// <summary>Oldest first after the <c>after</c> cursor, one more than the limit to tell whether there are more.</summary>
    private static (string Where, (string, object?)[] Parameters) PageOf(string table, string idColumn, string filter, ListQuery query) =>
        ($"{filter} AND seq > COALESCE((SELECT seq FROM {table} WHERE {idColumn} = @after::text), 0) ORDER BY seq LIMIT @limit",
            [("@after", query.After), ("@limit", Math.Min(query.Limit, int.MaxValue - 1) + 1L)]);

    private static Page<T> Trim<T>(List<T> items, ListQuery query)
    {
        var hasMore = items.Count > query.Limit;
        return new Page<T>(hasMore ? items[..query.Limit] : items, hasMore);
    }

    private static async Task<List<Project>> ReadProjectsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var projects = new List<Project>();
            while (await reader.ReadAsync(cancellationToken))
            {
                projects.Add(new Project
                {
                    Id = reader.GetString(0),
                    Name = reader.GetString(1),
                    CreatedAt = reader.GetInt64(2),
                    ArchivedAt = reader.IsDBNull(3) ? null : reader.GetInt64(3),
                });
            }

            return projects;
        }
    }

    private static async Task<List<ProjectKey>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var keys = new List<ProjectKey>();
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(ReadKey(reader));
            }

            return keys;
        }
    }

    private static ProjectKey ReadKey(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Project = reader.GetString(1),
        Name = reader.GetString(2),
        ServiceAccountId = reader.GetString(3),
        RedactedValue = reader.GetString(4),
        CreatedAt = reader.GetInt64(5),
        Hash = reader.GetString(6),
        LastUsedAt = reader.IsDBNull(7) ? null : reader.GetInt64(7),
    };
}
