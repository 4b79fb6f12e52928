using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Json;

namespace AgentHost.Storage.Sqlite;

/// <summary><see cref="IUploadStore"/>: upload rows in SQLite, part bytes in <c>{directory}/{upload id}/{part id}</c>.</summary>
public sealed class SqliteUploadStore(SqliteDatabase database, string directory, TimeProvider time) : IUploadStore
{
    private static readonly FileJsonContext Json = FileJsonContext.Default;

    public Task CreateAsync(Upload upload, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("INSERT INTO uploads (id, project, data) VALUES (@id, @write_project, @data)", t,
            ("@id", upload.Id), SqliteCommands.WriteProject, ("@data", JsonSerializer.Serialize(upload, Json.Upload))).Run(), cancellationToken);

    public async Task<Upload?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command($"SELECT data FROM uploads WHERE id = @id AND {SqliteCommands.InProject}", null, ("@id", id), SqliteCommands.Project).ReadOne(Json.Upload);
    }

    public Task UpdateAsync(Upload upload, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Command("UPDATE uploads SET data = @data WHERE id = @id", t,
            ("@id", upload.Id), ("@data", JsonSerializer.Serialize(upload, Json.Upload))).Run(), cancellationToken);

    public async Task<UploadPart> AddPartAsync(string uploadId, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var part = new UploadPart { Id = IdGenerator.UploadPart(), CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(), UploadId = uploadId };
        PrivateStorage.Directory(directory);
        PrivateStorage.Directory(Path.Combine(directory, uploadId));
        var bytes = await BoundedCopy.ToFileAsync(content, PathOf(uploadId, part.Id), maxBytes, "MaxPartBytes", cancellationToken);
        await database.WriteAsync((c, t) => c.Command("INSERT INTO upload_parts (id, project, upload_id, bytes, data) VALUES (@id, @write_project, @upload, @bytes, @data)", t,
            ("@id", part.Id), SqliteCommands.WriteProject, ("@upload", uploadId), ("@bytes", bytes), ("@data", JsonSerializer.Serialize(part, Json.UploadPart))).Run(), cancellationToken);
        return part;
    }

    public async Task<IReadOnlyDictionary<string, long>> GetPartSizesAsync(string uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        using var command = connection.Command("SELECT id, bytes FROM upload_parts WHERE upload_id = @upload", null, ("@upload", uploadId));
        using var reader = command.ExecuteReader();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            sizes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sizes;
    }

    public async Task<IReadOnlyList<Upload>> ListExpiredAsync(long now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return connection.Command(
            "SELECT data FROM uploads WHERE json_extract(data, '$.status') = 'pending' AND json_extract(data, '$.expires_at') <= @now ORDER BY seq LIMIT @limit", null,
            ("@now", now), ("@limit", limit)).ReadAll(Json.Upload);
    }

    public Stream OpenPart(string uploadId, string partId) =>
        new FileStream(PathOf(uploadId, partId), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public async Task DeletePartsAsync(string uploadId, CancellationToken cancellationToken)
    {
        await database.WriteAsync((c, t) => c.Command("DELETE FROM upload_parts WHERE upload_id = @upload", t, ("@upload", uploadId)).Run(), cancellationToken);
        var folder = Path.Combine(directory, uploadId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string PathOf(string uploadId, string partId) => Path.Combine(directory, uploadId, partId);
}
