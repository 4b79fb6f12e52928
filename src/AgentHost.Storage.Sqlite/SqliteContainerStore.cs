using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Core.Containers;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IContainerStore"/>: containers and container files in SQLite, file bytes in
/// <c>{directory}/{container id}/{file id}</c> (<see cref="ContainerFileFolder"/>), each file's row written after its bytes.
/// </summary>
public sealed class SqliteContainerStore(SqliteDatabase database, string directory) : IContainerStore
{
    private readonly ContainerFileFolder folder = new(directory);

    public const string Migration = """
        CREATE TABLE containers (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
            name TEXT NOT NULL, status TEXT NOT NULL, expires_at INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE INDEX containers_by_expiry ON containers (status, expires_at);
        CREATE INDEX containers_by_project_name ON containers (project, name, seq);
        CREATE TABLE container_files (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
            container_id TEXT NOT NULL, path TEXT NOT NULL, bytes INTEGER NOT NULL, data TEXT NOT NULL,
            UNIQUE (container_id, path));
        CREATE INDEX container_files_by_container ON container_files (container_id, seq);
        """;

    private static readonly ContainerJsonContext Json = ContainerJsonContext.Default;

    public Task CreateAsync(Container container, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command(
            "INSERT INTO containers (id, project, name, status, expires_at, data) VALUES (@id, @project, @name, @status, @expires, @data)", t,
            ("@id", container.Id), ("@project", container.Project), ("@name", container.Name), ("@status", container.Status),
            ("@expires", container.ExpiresAt), ("@data", JsonSerializer.Serialize(container, Json.Container))).Run(), cancellationToken);

    public async Task<Container?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return ReadContainer(connection, null, id);
    }

    public async Task<Page<Container>> ListAsync(string? name, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var page = name is null
            ? connection.ListPage("containers", "1 = 1", [], query, Json.Container)
            : connection.ListPage("containers", "name = @name", [("@name", name)], query, Json.Container);
        return page;
    }

    public Task<Container?> TouchAsync(string id, long now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            if (ReadContainer(c, t, id) is not { Status: Container.Running } container || container.LastActiveAt >= now)
            {
                return ReadContainer(c, t, id);
            }

            var touched = container with { LastActiveAt = now };
            c.Command("UPDATE containers SET expires_at = @expires, data = @data WHERE id = @id", t,
                ("@id", id), ("@expires", touched.ExpiresAt), ("@data", JsonSerializer.Serialize(touched, Json.Container))).Run();
            return touched;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> DueForExpiryAsync(long now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command(
            "SELECT id FROM containers WHERE status = @running AND expires_at <= @now ORDER BY expires_at LIMIT @limit", null,
            ("@running", Container.Running), ("@now", now), ("@limit", limit));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<bool> ExpireAsync(string id, long now, CancellationToken cancellationToken)
    {
        var expired = await database.WriteAsync((c, t) =>
        {
            if (ReadContainer(c, t, id) is not { Status: Container.Running } container || container.ExpiresAt > now)
            {
                return false;
            }

            var updated = container with { Status = Container.Expired };
            c.Command("UPDATE containers SET status = @status, data = @data WHERE id = @id", t,
                ("@id", id), ("@status", updated.Status), ("@data", JsonSerializer.Serialize(updated, Json.Container))).Run();
            c.Command("DELETE FROM container_files WHERE container_id = @id", t, ("@id", id)).Run();
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

        var deleted = await database.WriteAsync((c, t) =>
        {
            c.Command("DELETE FROM container_files WHERE container_id = @id", t, ("@id", id)).Run();
            return c.Command("DELETE FROM containers WHERE id = @id", t, ("@id", id)).Run() > 0;
        }, cancellationToken);
        folder.DeleteFolder(id);
        return deleted;
    }

    public async Task<ContainerFile?> PutFileAsync(ContainerFile file, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var existing = await GetFileByPathAsync(file.ContainerId, file.Path, cancellationToken);
        var stored = existing is null ? file : file with { Id = existing.Id, CreatedAt = existing.CreatedAt };
        // Only into a running container: a file finished after its container was deleted or expired is dropped.
        return await folder.PutAsync(stored, content, maxBytes, complete => database.WriteAsync((c, t) => c.Command(
            """
            INSERT INTO container_files (id, project, container_id, path, bytes, data)
            SELECT @id, @project, @container, @path, @bytes, @data WHERE EXISTS (SELECT 1 FROM containers WHERE id = @container AND status = @running)
            ON CONFLICT (container_id, path) DO UPDATE SET bytes = excluded.bytes, data = excluded.data
            """, t,
            ("@id", complete.Id), ("@project", complete.Project), ("@container", complete.ContainerId), ("@path", complete.Path), ("@bytes", complete.Bytes),
            ("@running", Container.Running), ("@data", JsonSerializer.Serialize(complete, Json.ContainerFile))).Run() > 0, cancellationToken), cancellationToken);
    }

    public async Task<ContainerFile?> GetFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return ReadFile(connection.Command("SELECT project, data FROM container_files WHERE id = @id AND container_id = @container", null,
            ("@id", fileId), ("@container", containerId)));
    }

    public async Task<ContainerFile?> GetFileByPathAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return ReadFile(connection.Command("SELECT project, data FROM container_files WHERE container_id = @container AND path = @path", null,
            ("@container", containerId), ("@path", path)));
    }

    public async Task<Stream?> OpenFileAsync(string containerId, string fileId, CancellationToken cancellationToken) =>
        await GetFileAsync(containerId, fileId, cancellationToken) is null ? null : folder.Open(containerId, fileId);

    public async Task<Page<ContainerFile>> ListFilesAsync(string containerId, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.ListPage("container_files", "container_id = @container", [("@container", containerId)], query, Json.ContainerFile);
    }

    public async Task<IReadOnlyList<ContainerFile>> AllFilesAsync(string containerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command("SELECT data FROM container_files WHERE container_id = @container ORDER BY seq", null,
            ("@container", containerId)).ReadAll(Json.ContainerFile);
    }

    public async Task<(int Count, long Bytes)> UsageAsync(string containerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM container_files WHERE container_id = @container", null,
            ("@container", containerId));
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt64(1));
    }

    public async Task<bool> DeleteFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        var deleted = await database.WriteAsync((c, t) => c.Command("DELETE FROM container_files WHERE id = @id AND container_id = @container", t,
            ("@id", fileId), ("@container", containerId)).Run() > 0, cancellationToken);
        if (deleted)
        {
            folder.Delete(containerId, fileId);
        }

        return deleted;
    }

    private static Container? ReadContainer(SqliteConnection connection, SqliteTransaction? transaction, string id) =>
        Read(connection.Command("SELECT project, data FROM containers WHERE id = @id", transaction, ("@id", id)), Json.Container) is { } found
            ? found.Value with { Project = found.Project }
            : null;

    private static ContainerFile? ReadFile(SqliteCommand command) =>
        Read(command, Json.ContainerFile) is { } found ? found.Value with { Project = found.Project } : null;

    private static (string Project, T Value)? Read<T>(SqliteCommand command, JsonTypeInfo<T> typeInfo)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            // A row of another project than the current one is not there (ProjectScope).
            return reader.Read() && ProjectScope.Allows(reader.GetString(0)) ? (reader.GetString(0), JsonSerializer.Deserialize(reader.GetString(1), typeInfo)!) : null;
        }
    }
}
