namespace AgentHost.Core.Files;

/// <summary>Uploads and their parts: records in the database, part bytes in the data directory.</summary>
public interface IUploadStore
{
    Task CreateAsync(Upload upload, CancellationToken cancellationToken);

    Task<Upload?> GetAsync(string id, CancellationToken cancellationToken);

    Task UpdateAsync(Upload upload, CancellationToken cancellationToken);

    /// <summary>Stores a part's bytes; throws an ApiException when they run past <paramref name="maxBytes"/>.</summary>
    Task<UploadPart> AddPartAsync(string uploadId, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The upload's parts and their sizes, by part id.</summary>
    Task<IReadOnlyDictionary<string, long>> GetPartSizesAsync(string uploadId, CancellationToken cancellationToken);

    Stream OpenPart(string uploadId, string partId);

    /// <summary>Pending uploads whose <c>expires_at</c> is at or before <paramref name="now"/> (unix seconds), oldest first.</summary>
    Task<IReadOnlyList<Upload>> ListExpiredAsync(long now, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the parts' bytes (after completion or cancellation).</summary>
    Task DeletePartsAsync(string uploadId, CancellationToken cancellationToken);
}
