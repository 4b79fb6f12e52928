namespace AgentHost.Server.Files.Cli;

/// <summary>What <c>agenthost files upload</c> was asked to do.</summary>
internal sealed record FolderUpload(string Folder, string? VectorStoreId, string? NewStoreName, string BaseUrl, string? ApiKey, int Concurrency, string Pattern)
{
    /// <summary>The folder's files matching <see cref="Pattern"/>, recursively, skipping hidden files and folders, in path order.</summary>
    public IReadOnlyList<string> Files()
    {
        if (!Directory.Exists(Folder))
        {
            throw new DirectoryNotFoundException($"Folder '{Folder}' does not exist.");
        }

        var root = Path.GetFullPath(Folder);
        return [.. Directory.EnumerateFiles(root, Pattern, SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)];
    }
}
