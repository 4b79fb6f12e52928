namespace AgentHost.Core.Sandbox;

/// <summary>Paths of files in a session, relative to <c>/mnt/data</c>.</summary>
public static class SandboxPaths
{
    /// <summary>Drops empty, <c>.</c> and <c>..</c> parts (and reads backslashes as slashes); empty when nothing is left.</summary>
    public static string Normalize(string relative) =>
        string.Join('/', relative.Replace('\\', '/').Split('/').Where(p => p.Length > 0 && p != "." && p != ".."));
}
