using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// <see cref="IFileStore"/>: the <c>file</c> object in the <c>files</c> table, the bytes in <c>{directory}/{id}</c>.
/// Bytes are written to a temporary name first and renamed once complete, so a crash never leaves a row whose
/// bytes are partial, and the row is written last so a listed file always has its bytes.
/// </summary>
public sealed class SqliteFileStore(SqliteDatabase database, string directory, FileLimits limits, TimeProvider time) : IFileStore
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
        await database.WriteAsync((c, t) => c.Command("INSERT INTO files (id, project, purpose, data) VALUES (@id, @write_project, @purpose, @data)", t,
            ("@id", id), SqliteCommands.WriteProject, ("@purpose", purpose), ("@data", JsonSerializer.Serialize(file, Json.StoredFile))).Run(), cancellationToken);
        return file;
    }

    public async Task<StoredFile?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM files WHERE id = @id AND {SqliteCommands.InProject}", null, ("@id", id), SqliteCommands.Project).ReadOne(Json.StoredFile);
    }

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
        var deleted = await database.WriteAsync((c, t) => c.Command($"DELETE FROM files WHERE id = @id AND {SqliteCommands.InProject}", t, ("@id", id), SqliteCommands.Project).Run() > 0, cancellationToken);
        if (deleted)
        {
            File.Delete(PathOf(id));
        }

        return deleted;
    }

    public async Task<Page<StoredFile>> ListAsync(string? purpose, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return purpose is null
            ? connection.ListPage("files", "1 = 1", [], query, Json.StoredFile)
            : connection.ListPage("files", "purpose = @purpose", [("@purpose", purpose)], query, Json.StoredFile);
    }

    private string PathOf(string id) => Path.Combine(directory, id);
}
