using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// <see cref="IFileStore"/>: the <c>file</c> object in the <c>files</c> table, the bytes in <c>{directory}/{id}</c> — a
/// directory every node must share when there are several. Bytes are written to a temporary name and renamed once
/// complete, and the row is written last, so a listed file always has its bytes.
/// </summary>
public sealed class PostgresFileStore(PostgresDatabase database, string directory, FileLimits limits, TimeProvider time) : IFileStore
{
    private static readonly FileJsonContext Json = FileJsonContext.Default;

    public Task<StoredFile> CreateAsync(string filename, string purpose, Stream content, CancellationToken cancellationToken) =>
        CreateAsync(filename, purpose, content, limits.MaxFileBytes, cancellationToken);

    public async Task<StoredFile> CreateAsync(string filename, string purpose, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        PrivateStorage.Directory(directory);
        var id = IdGenerator.File();
        var temporary = Path.Combine(directory, id + ".partial");
        var bytes = await BoundedCopy.ToFileAsync(content, temporary, maxBytes, maxBytes == limits.MaxFileBytes ? "MaxFileBytes" : "MaxUploadBytes", cancellationToken);
        File.Move(temporary, PathOf(id));

        var file = new StoredFile { Id = id, Bytes = bytes, CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(), Filename = filename, Purpose = purpose };
        await database.WriteAsync((c, t, ct) => c.Command("INSERT INTO files (id, project, purpose, data) VALUES (@id, @write_project, @purpose, @data)", t,
            ("@id", id), PostgresCommands.WriteProject, ("@purpose", purpose), ("@data", PostgresCommands.Json(file, Json.StoredFile))).RunAsync(ct), cancellationToken);
        return file;
    }

    public Task<StoredFile?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM files WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project).ReadOneAsync(Json.StoredFile, ct), cancellationToken);

    public async Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is null)
        {
            return null;
        }

        try
        {
            return new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return null; // deleted between the two reads
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await database.WriteAsync(async (c, t, ct) => await c.Command($"DELETE FROM files WHERE id = @id AND {PostgresCommands.InProject}", t, ("@id", id), PostgresCommands.Project).RunAsync(ct) > 0, cancellationToken);
        if (deleted)
        {
            File.Delete(PathOf(id));
        }

        return deleted;
    }

    public Task<Page<StoredFile>> ListAsync(string? purpose, ListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => purpose is null
            ? c.ListPageAsync("files", "TRUE", [], query, Json.StoredFile, ct)
            : c.ListPageAsync("files", "purpose = @purpose", [("@purpose", purpose)], query, Json.StoredFile, ct), cancellationToken);

    private string PathOf(string id) => Path.Combine(directory, id);
}
