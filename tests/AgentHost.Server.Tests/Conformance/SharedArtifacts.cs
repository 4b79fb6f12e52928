namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Locates <c>../shared/</c> beside the repository clone: the OpenAI spec and the recorded
/// openai-dotnet sessions live there rather than in the repo (CI lays them beside the clone).
/// </summary>
internal static class SharedArtifacts
{
    public const string MissingMessage =
        "../shared/ is not beside this clone; spec conformance tests need it (CI provides it)";

    private static readonly Lazy<string?> Located = new(FindSharedFolder);

    /// <summary>The shared folder, or null when it is not beside this clone.</summary>
    public static string? Folder => Located.Value;

    public static bool IsAvailable => Located.Value is not null;

    public static string OpenApiSpecPath => Path.Combine(Require(), "openai-spec", "openapi.yaml");

    public static string RecordingsDirectory => Path.Combine(Require(), "openai-dotnet-recordings");

    private static string Require() => Located.Value ?? throw new InvalidOperationException(MissingMessage);

    private static string? FindSharedFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            // A worktree's .git is a file, a plain clone's a folder.
            var isRepositoryRoot = Path.Exists(Path.Combine(dir.FullName, ".git"))
                || File.Exists(Path.Combine(dir.FullName, "global.json"));
            if (isRepositoryRoot)
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
