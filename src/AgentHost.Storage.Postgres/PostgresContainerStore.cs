using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Core.Containers;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IContainerStore"/> on PostgreSQL: containers and container files as rows, file bytes in the shared
/// directory (<see cref="ContainerFileFolder"/>), so every node reads the same files.
/// </summary>
public sealed class PostgresContainerStore(PostgresDatabase database, string directory) : IContainerStore
{
    private static readonly ContainerJsonContext Json = ContainerJsonContext.Default;
    private readonly ContainerFileFolder folder = new(directory);

    public Task CreateAsync(Container container, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command(
            "INSERT INTO containers (id, project, name, status, expires_at, data) VALUES (@id, @project, @name, @status, @expires, @data)", t,
            ("@id", container.Id), ("@project", container.Project), ("@name", container.Name), ("@status", container.Status),
            ("@expires", container.ExpiresAt), ("@data", PostgresCommands.Json(container, Json.Container))).RunAsync(ct), cancellationToken);

    public Task<Container?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => ReadContainerAsync(c, null, id, ct), cancellationToken);

    public Task<Page<Container>> ListAsync(string? name, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => name is null
            ? c.ListPageAsync("containers", "true", [], query, Json.Container, ct)
            : c.ListPageAsync("containers", "name = @name", [("@name", name)], query, Json.Container, ct), cancellationToken);

    public Task<Container?> TouchAsync(string id, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t, ct) =>
        {
            var container = await ReadContainerAsync(c, t, id, ct, forUpdate: true);
            if (container is not { Status: Container.Running } || container.LastActiveAt >= now)
            {
                return container;
            }

            var touched = container with { LastActiveAt = now };
            await c.Command("UPDATE containers SET expires_at = @expires, data = @data WHERE id = @id", t,
                ("@id", id), ("@expires", touched.ExpiresAt), ("@data", PostgresCommands.Json(touched, Json.Container))).RunAsync(ct);
            return touched;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> DueForExpiryAsync(long now, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async (c, ct) => await c.Command(
            "SELECT id FROM containers WHERE status = @running AND expires_at <= @now ORDER BY expires_at LIMIT @limit", null,
            ("@running", Container.Running), ("@now", now), ("@limit", limit)).ReadStringsAsync(ct), cancellationToken);

    public async Task<bool> ExpireAsync(string id, long now, CancellationToken cancellationToken)
    {
        var expired = await database.WriteAsync(async (c, t, ct) =>
        {
            if (await ReadContainerAsync(c, t, id, ct, forUpdate: true) is not { Status: Container.Running } container || container.ExpiresAt > now)
            {
                return false;
            }

            var updated = container with { Status = Container.Expired };
            await c.Command("UPDATE containers SET status = @status, data = @data WHERE id = @id", t,
                ("@id", id), ("@status", updated.Status), ("@data", PostgresCommands.Json(updated, Json.Container))).RunAsync(ct);
            await c.Command("DELETE FROM container_files WHERE container_id = @id", t, ("@id", id)).RunAsync(ct);
            return true;
        }, cancellationToken);
        if (expired)
        {
            folder.DeleteFolder(id);
        }

        return expired;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is null)
        {
            return false; // no such container in the caller's project
        }

        var deleted = await database.WriteAsync(async (c, t, ct) =>
        {
            await c.Command("DELETE FROM container_files WHERE container_id = @id", t, ("@id", id)).RunAsync(ct);
            return await c.Command("DELETE FROM containers WHERE id = @id", t, ("@id", id)).RunAsync(ct) > 0;
        }, cancellationToken);
        folder.DeleteFolder(id);
        return deleted;
    }

    public async Task<ContainerFile?> PutFileAsync(ContainerFile file, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var existing = await GetFileByPathAsync(file.ContainerId, file.Path, cancellationToken);
        var stored = existing is null ? file : file with { Id = existing.Id, CreatedAt = existing.CreatedAt };
        // Only into a running container, read FOR SHARE so an expiry or delete waits: a file finished after its
        // container was deleted or expired is dropped.
        return await folder.PutAsync(stored, content, maxBytes, complete => database.WriteAsync(async (c, t, ct) => await c.Command(
            """
            INSERT INTO container_files (id, project, container_id, path, bytes, data)
            SELECT @id, @project, @container, @path, @bytes, @data WHERE EXISTS (SELECT 1 FROM containers WHERE id = @container AND status = @running FOR SHARE)
            ON CONFLICT (container_id, path) DO UPDATE SET bytes = excluded.bytes, data = excluded.data
            """, t,
            ("@id", complete.Id), ("@project", complete.Project), ("@container", complete.ContainerId), ("@path", complete.Path), ("@bytes", complete.Bytes),
            ("@running", Container.Running), ("@data", PostgresCommands.Json(complete, Json.ContainerFile))).RunAsync(ct) > 0, cancellationToken), cancellationToken);
    }

    public async Task<ContainerFile?> GetFileAsync(string containerId, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => ReadAsync(c.Command("SELECT project, data FROM container_files WHERE id = @id AND container_id = @container", null,
            ("@id", fileId), ("@container", containerId)), Json.ContainerFile, ct), cancellationToken) is { } found
            ? found.Value with { Project = found.Project }
            : null;

    public async Task<ContainerFile?> GetFileByPathAsync(string containerId, string path, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => ReadAsync(c.Command("SELECT project, data FROM container_files WHERE container_id = @container AND path = @path", null,
            ("@container", containerId), ("@path", path)), Json.ContainerFile, ct), cancellationToken) is { } found
            ? found.Value with { Project = found.Project }
            : null;

    public async Task<Stream?> OpenFileAsync(string containerId, string fileId, CancellationToken cancellationToken) =>
        await GetFileAsync(containerId, fileId, cancellationToken) is null ? null : folder.Open(containerId, fileId);

    public Task<Page<ContainerFile>> ListFilesAsync(string containerId, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.ListPageAsync("container_files", "container_id = @container", [("@container", containerId)], query, Json.ContainerFile, ct),
            cancellationToken);

    public Task<IReadOnlyList<ContainerFile>> AllFilesAsync(string containerId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ContainerFile>>(async (c, ct) => await c.Command(
            "SELECT data FROM container_files WHERE container_id = @container ORDER BY seq", null, ("@container", containerId)).ReadAllAsync(Json.ContainerFile, ct),
            cancellationToken);

    public Task<(int Count, long Bytes)> UsageAsync(string containerId, CancellationToken cancellationToken) =>
        database.ReadAsync(async (c, ct) =>
        {
            await using var command = c.Command("SELECT COUNT(*)::int, COALESCE(SUM(bytes), 0)::bigint FROM container_files WHERE container_id = @container", null,
                ("@container", containerId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt32(0), reader.GetInt64(1));
        }, cancellationToken);

    public async Task<bool> DeleteFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        var deleted = await database.WriteAsync(async (c, t, ct) => await c.Command("DELETE FROM container_files WHERE id = @id AND container_id = @container", t,
            ("@id", fileId), ("@container", containerId)).RunAsync(ct) > 0, cancellationToken);
        if (deleted)
        {
            folder.Delete(containerId, fileId);
        }

        return deleted;
    }

    private static async Task<Container?> ReadContainerAsync(NpgsqlConnection c, NpgsqlTransaction? t, string id, CancellationToken ct, bool forUpdate = false) =>
        await ReadAsync(c.Command($"SELECT project, data FROM containers WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", t, ("@id", id)), Json.Container, ct) is { } found
            ? found.Value with { Project = found.Project }
            : null;

    private static async Task<(string Project, T Value)?> ReadAsync<T>(NpgsqlCommand command, JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            // A row of another project than the current one is not there (ProjectScope).
            return await reader.ReadAsync(ct) && ProjectScope.Allows(reader.GetString(0)) ? (reader.GetString(0), JsonSerializer.Deserialize(reader.GetString(1), typeInfo)!) : null;
        }
    }
}
