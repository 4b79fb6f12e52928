namespace AgentHost.Core.Files;

/// <summary>
/// Creates AgentHost's data on disk readable by AgentHost's user only: folders 0700, files 0600. The data directory
/// itself is 0711 — other users may pass through it to the MCP servers' homes, which AgentHost gives to each
/// server's own uid, but cannot list it or open anything else in it. Existing data is tightened the same way at start.
/// </summary>
public static class PrivateStorage
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode DataFolder = Folder | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void DataDirectory(string path) => Ensure(path, DataFolder);

    public static void Directory(string path) => Ensure(path, Folder);

    /// <summary>Options for a new file that only AgentHost's user can read.</summary>
    public static FileStreamOptions NewFile(FileMode mode = FileMode.CreateNew) => OperatingSystem.IsWindows()
        ? new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 81920, Options = FileOptions.Asynchronous }
        : new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 81920, Options = FileOptions.Asynchronous, UnixCreateMode = File };

    /// <summary>Creates <paramref name="path"/> empty with mode 0600 unless it exists, and takes group and other access away if it does.</summary>
    public static void FileOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!System.IO.File.Exists(path))
        {
            using var created = new FileStream(path, NewFile(FileMode.CreateNew));
        }
        else if ((System.IO.File.GetUnixFileMode(path) & ~File) != 0)
        {
            System.IO.File.SetUnixFileMode(path, File);
        }
    }

    private static void Ensure(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        if (!System.IO.Directory.Exists(path))
        {
            System.IO.Directory.CreateDirectory(path, mode);
        }
        else if ((System.IO.File.GetUnixFileMode(path) & ~mode) != 0)
        {
            System.IO.File.SetUnixFileMode(path, mode);
        }
    }
}
