using AgentHost.Core.Storage;

namespace AgentHost.Core.Containers;

/// <summary>
/// Containers and their files, durably: rows in the database (each with its project), file bytes beside them.
/// Implemented on SQLite and on PostgreSQL, both with file bytes in a <see cref="ContainerFileFolder"/>.
/// </summary>
public interface IContainerStore
{
    Task CreateAsync(Container container, CancellationToken cancellationToken);

    Task<Container?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>A page of containers, optionally only those named <paramref name="name"/>.</summary>
    Task<Page<Container>> ListAsync(string? name, ListQuery query, CancellationToken cancellationToken);

    /// <summary>Moves <c>last_active_at</c> (and so the expiry) to <paramref name="now"/> if the container is running; returns it as stored.</summary>
    Task<Container?> TouchAsync(string id, long now, CancellationToken cancellationToken);

    /// <summary>Ids of running containers whose expiry is at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> DueForExpiryAsync(long now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the container <c>expired</c> and discards its files, only if it is still running and due (a compare-and-set,
    /// so two sweepers or a sweep racing a call never both act); true when this call expired it.
    /// </summary>
    Task<bool> ExpireAsync(string id, long now, CancellationToken cancellationToken);

    /// <summary>Deletes the container and all its files; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/> (read to its end, refused past <paramref name="maxBytes"/>) at <paramref name="file"/>'s
    /// path. A file already at that path keeps its id and creation time and gets the new bytes. Returns the file as stored,
    /// or null when the container is gone or expired (nothing is kept then).
    /// </summary>
    Task<ContainerFile?> PutFileAsync(ContainerFile file, Stream content, long maxBytes, CancellationToken cancellationToken);

    Task<ContainerFile?> GetFileAsync(string containerId, string fileId, CancellationToken cancellationToken);

    Task<ContainerFile?> GetFileByPathAsync(string containerId, string path, CancellationToken cancellationToken);

    /// <summary>The file's bytes, or null when there is no such file.</summary>
    Task<Stream?> OpenFileAsync(string containerId, string fileId, CancellationToken cancellationToken);

    Task<Page<ContainerFile>> ListFilesAsync(string containerId, ListQuery query, CancellationToken cancellationToken);

    /// <summary>Every file of the container, oldest first (to restore a fresh session).</summary>
    Task<IReadOnlyList<ContainerFile>> AllFilesAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>How many files the container holds and their total bytes.</summary>
    Task<(int Count, long Bytes)> UsageAsync(string containerId, CancellationToken cancellationToken);

    Task<bool> DeleteFileAsync(string containerId, string fileId, CancellationToken cancellationToken);
}
