using AgentHost.Core.Storage;

namespace AgentHost.Core.Files;

/// <summary>
/// Files by id: records in the database, bytes in the data directory. Shared by <c>/v1/files</c>, file search
/// (reads what it indexes) and the code interpreter (reads inputs, writes what the code produced).
/// </summary>
public interface IFileStore
{
    /// <summary>Reads <paramref name="content"/> to its end and stores it; throws an ApiException when it is over the size limit.</summary>
    Task<StoredFile> CreateAsync(string filename, string purpose, Stream content, CancellationToken cancellationToken);

    /// <summary>As <see cref="CreateAsync(string, string, Stream, CancellationToken)"/> with its own limit (uploads assemble larger files).</summary>
    Task<StoredFile> CreateAsync(string filename, string purpose, Stream content, long maxBytes, CancellationToken cancellationToken);

    Task<StoredFile?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The file's bytes, or null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string id, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    Task<Page<StoredFile>> ListAsync(string? purpose, ListQuery query, CancellationToken cancellationToken);
}
