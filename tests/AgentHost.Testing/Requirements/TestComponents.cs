namespace AgentHost.Testing.Requirements;

/// <summary>
/// The outside components some tests need (<c>../shared/</c>, bubblewrap, PostgreSQL, npm packages). A test that needs
/// a missing one is skipped with a message saying what to install — unless <c>AGENTHOST_TESTS_REQUIRE_ALL=1</c> (set by
/// <c>.ci/run</c>), where it runs and fails, so CI never passes by skipping.
/// </summary>
public static class TestComponents
{
    /// <summary>The environment variable under which a missing component fails its tests instead of skipping them.</summary>
    public const string RequireAllVariable = "AGENTHOST_TESTS_REQUIRE_ALL";

    /// <summary>The folder holding one npm project per client or server the tests drive (<c>tests/clients/&lt;name&gt;</c>).</summary>
    public const string NodeClientsFolder = "tests/clients";

    public static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllVariable) == "1";

    /// <summary>The repository root (the folder with <c>global.json</c>) above the test binaries, or null.</summary>
    public static string? RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared/</c> beside the clone, or null when it is absent.</summary>
    public static string? SharedFolder { get; } = RepositoryRoot is { } root && Directory.Exists(Path.Combine(root, "..", "shared"))
        ? Path.GetFullPath(Path.Combine(root, "..", "shared"))
        : null;

    /// <summary>Why <paramref name="component"/> is missing, or null when it is there.</summary>
    /// <remarks>
    /// Names: <c>shared</c>; <c>bwrap</c>; <c>seccomp</c> (libseccomp's <c>scmp_sys_resolver</c>); <c>postgres</c> (a connection string in <c>AGENTHOST_TEST_POSTGRES</c>);
    /// <c>node:&lt;name&gt;</c> (the npm project <c>tests/clients/&lt;name&gt;</c> installed).
    /// </remarks>
    public static string? Missing(string component) => component switch
    {
        "shared" => SharedFolder is null ? "../shared/ is not beside this clone (CI provides it)" : null,
        "bwrap" => OnPath("bwrap") ? null : "bubblewrap is not installed (apt-get install bubblewrap, or run scripts/test.sh)",
        "seccomp" => OnPath("scmp_sys_resolver") ? null : "libseccomp's scmp_sys_resolver is not installed (apt-get install seccomp, or run scripts/test.sh)",
        "postgres" => string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES"))
            ? "AGENTHOST_TEST_POSTGRES names no PostgreSQL server (scripts/test.sh starts one)"
            : null,
        _ when component.StartsWith("node:", StringComparison.Ordinal) => MissingNodeProject(component["node:".Length..]),
        _ => throw new ArgumentException($"Unknown test component '{component}'.", nameof(component)),
    };

    /// <summary>The installed npm project <c>tests/clients/&lt;name&gt;</c>; throws with the reason when it is missing.</summary>
    public static string NodeProject(string name) =>
        MissingNodeProject(name) is { } missing ? throw new InvalidOperationException(missing) : Path.Combine(RepositoryRoot!, NodeClientsFolder, name);

    /// <summary>
    /// The installed npm project <c>tests/clients/&lt;name&gt;</c> at a path other users can read: a program run under
    /// an unprivileged uid (an MCP server started by AgentHost as root) cannot reach a clone inside a private folder
    /// (e.g. one made by <c>mktemp -d</c>, mode 0700), so the project is copied once to a world-readable temp folder.
    /// </summary>
    public static string NodeProjectReadableByOthers(string name) => ReadableCopies.GetOrAdd(name, static n => new Lazy<string>(() =>
    {
        var project = NodeProject(n);
        if (!OperatingSystem.IsLinux() || TraversableByOthers(project))
        {
            return project;
        }

        var copy = Path.Combine(Path.GetTempPath(), $"agenthost-node-{n}-{Environment.ProcessId}");
        if (Directory.Exists(copy))
        {
            Directory.Delete(copy, recursive: true);
        }

        Run("cp", "-a", project, copy);
        Run("chmod", "-R", "a+rX", copy);
        File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);
        return copy;
    })).Value;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> ReadableCopies = new();

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool TraversableByOthers(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }
    }

    /// <summary>The skip message for a test needing <paramref name="components"/>, or null when it should run.</summary>
    public static string? SkipReason(IEnumerable<string> components)
    {
        var missing = components.Select(Missing).OfType<string>().ToList();
        return missing.Count == 0 || RequireAll ? null : string.Join("; ", missing);
    }

    private static string? MissingNodeProject(string name)
    {
        if (RepositoryRoot is null)
        {
            return "the repository root was not found above the test binaries";
        }

        var folder = Path.Combine(RepositoryRoot, NodeClientsFolder, name);
        return Directory.Exists(Path.Combine(folder, "node_modules"))
            ? null
            : $"npm packages of {NodeClientsFolder}/{name} are not installed (npm ci there, or run scripts/test.sh)";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "global.json")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
