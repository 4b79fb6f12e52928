namespace AgentHost.Core.Storage;

/// <summary>
/// The project the current work is done for, flowing with the async context: the API's authentication sets it once
/// per request from the caller's key, and the run worker sets it from the run's row before executing the run. Every
/// store reads it — a read, list or delete sees only the current project's rows, and a new row is written into it —
/// so isolation is one mechanism applied in the stores, not a check repeated in each endpoint (docs/tenancy.md).
/// <see cref="Current"/> is null for work done for no one in particular (sweeps, ingestion, the admin key's reads):
/// it sees every project and writes into <see cref="Projects.Default"/>.
/// </summary>
public static class ProjectScope
{
    private static readonly AsyncLocal<string?> Project = new();
    private static readonly AsyncLocal<string?> Key = new();

    /// <summary>The project reads are limited to; null when they are not limited.</summary>
    public static string? Current => Project.Value;

    /// <summary>
    /// The id of the key the current request was made with (a project key's <c>key_…</c>), for per-key rate limits;
    /// null outside a request made with a key (a run executed by the worker, a sweep).
    /// </summary>
    public static string? KeyId => Key.Value;

    /// <summary>The project a new row belongs to.</summary>
    public static string ForWrite => Project.Value ?? Projects.Default;

    /// <summary>
    /// Limits the work that follows (in this async flow) to <paramref name="project"/>, done with the key
    /// <paramref name="keyId"/> (none by default), until disposed.
    /// </summary>
    public static Entered Enter(string? project, string? keyId = null)
    {
        var previous = new Entered(Project.Value, Key.Value);
        Project.Value = project;
        Key.Value = keyId;
        return previous;
    }

    /// <summary>True when a row of <paramref name="project"/> may be seen in the current scope.</summary>
    public static bool Allows(string project) => Project.Value is null || string.Equals(Project.Value, project, StringComparison.Ordinal);

    /// <summary>Restores the scope that was current before <see cref="Enter"/>.</summary>
    public readonly struct Entered(string? previous, string? previousKey) : IDisposable
    {
        public void Dispose()
        {
            Project.Value = previous;
            Key.Value = previousKey;
        }
    }
}
