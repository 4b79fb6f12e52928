using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Json;

namespace AgentHost.Storage.Postgres;

/// <summary><see cref="IUploadStore"/>: upload rows in PostgreSQL, part bytes in <c>{directory}/{upload id}/{part id}</c> (shared by every node).</summary>
public sealed class PostgresUploadStore(PostgresDatabase database, string directory, TimeProvider time) : IUploadStore
{
    private static readonly FileJsonContext Json = FileJsonContext.Default;

    public Task CreateAsync(Upload upload, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("INSERT INTO uploads (id, project, data) VALUES (@id, @write_project, @data)", t,
            ("@id", upload.Id), PostgresCommands.WriteProject, ("@data", PostgresCommands.Json(upload, Json.Upload))).RunAsync(ct), cancellationToken);

    public Task<Upload?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync((c, ct) => c.Command($"SELECT data FROM uploads WHERE id = @id AND {PostgresCommands.InProject}", null, ("@id", id), PostgresCommands.Project).ReadOneAsync(Json.Upload, ct), cancellationToken);

    public Task UpdateAsync(Upload upload, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t, ct) => c.Command("UPDATE uploads SET data = @data WHERE id = @id", t,
            ("@id", upload.Id), ("@data", PostgresCommands.Json(upload, Json.Upload))).RunAsync(ct), cancellationToken);

    public async Task<UploadPart> AddPartAsync(string uploadId, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var part = new UploadPart { Id = IdGenerator.UploadPart(), CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(), UploadId = uploadId };
        PrivateStorage.Directory(directory);
        PrivateStorage.Directory(Path.Combine(directory, uploadId));
        var bytes = await BoundedCopy.ToFileAsync(content, PathOf(uploadId, part.Id), maxBytes, "MaxPartBytes", cancellationToken);
        await database.WriteAsync((c, t, ct) => c.Command("INSERT INTO upload_parts (id, project, upload_id, bytes, data) VALUES (@id, @write_project, @upload, @bytes, @data)", t,
            ("@id", part.Id), PostgresCommands.WriteProject, ("@upload", uploadId), ("@bytes", bytes), ("@data", PostgresCommands.Json(part, Json.UploadPart))).RunAsync(ct), cancellationToken);
        return part;
    }

    public Task<IReadOnlyDictionary<string, long>> GetPartSizesAsync(string uploadId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, long>>(async (c, ct) =>
        {
            await using var command = c.Command("SELECT id, bytes FROM upload_parts WHERE upload_id = @upload", null, ("@upload", uploadId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                sizes[reader.GetString(0)] = reader.GetInt64(1);
            }

            return sizes;
        }, cancellationToken);

    public async Task<IReadOnlyList<Upload>> ListExpiredAsync(long now, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync((c, ct) => c.Command(
            "SELECT data FROM uploads WHERE data->>'status' = 'pending' AND (data->>'expires_at')::bigint <= @now ORDER BY seq LIMIT @limit", null,
            ("@now", now), ("@limit", limit)).ReadAllAsync(Json.Upload, ct), cancellationToken);

    public Stream OpenPart(string uploadId, string partId) =>
        new FileStream(PathOf(uploadId, partId), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public async Task DeletePartsAsync(string uploadId, CancellationToken cancellationToken)
    {
        await database.WriteAsync((c, t, ct) => c.Command("DELETE FROM upload_parts WHERE upload_id = @upload", t, ("@upload", uploadId)).RunAsync(ct), cancellationToken);
        var folder = Path.Combine(directory, uploadId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string PathOf(string uploadId, string partId) => Path.Combine(directory, uploadId, partId);
}
