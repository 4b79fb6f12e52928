using AgentHost.Core.Files;

namespace AgentHost.Core.Containers;

/// <summary>
/// The bytes of container files, at <c>{directory}/{container id}/{file id}</c>, for every <see cref="IContainerStore"/>:
/// bytes are written under a temporary name and moved into place once complete, and the store saves the file's row
/// after that, so a listed file always has its bytes.
/// </summary>
public sealed class ContainerFileFolder(string directory)
{
    /// <summary>
    /// Writes <paramref name="content"/> (refused past <paramref name="maxBytes"/>) as <paramref name="file"/>'s bytes, then
    /// calls <paramref name="saveRow"/> with the file and its size. When the row is refused (the container is gone), the
    /// container's folder is removed and null returned.
    /// </summary>
    public async Task<ContainerFile?> PutAsync(ContainerFile file, Stream content, long maxBytes, Func<ContainerFile, Task<bool>> saveRow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(saveRow);
        var folder = Path.Combine(directory, file.ContainerId);
        PrivateStorage.Directory(directory);
        PrivateStorage.Directory(folder);
        var temporary = Path.Combine(folder, file.Id + "." + Guid.NewGuid().ToString("N") + ".partial");
        try
        {
            var stored = file with { Bytes = await BoundedCopy.ToFileAsync(content, temporary, maxBytes, "MaxFileBytes", cancellationToken) };
            File.Move(temporary, PathOf(stored.ContainerId, stored.Id), overwrite: true);
            if (await saveRow(stored))
            {
                return stored;
            }

            DeleteFolder(stored.ContainerId);
            return null;
        }
        finally
        {
            // Gone already when it was moved into place, or when a refused row took the folder with it.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The file's bytes, or null when they are gone (deleted after the caller read the row).</summary>
    public Stream? Open(string containerId, string fileId)
    {
        try
        {
            return new FileStream(PathOf(containerId, fileId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string containerId, string fileId) => File.Delete(PathOf(containerId, fileId));

    /// <summary>Removes every file of the container.</summary>
    public void DeleteFolder(string containerId)
    {
        var folder = Path.Combine(directory, containerId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string PathOf(string containerId, string fileId) => Path.Combine(directory, containerId, fileId);
}
