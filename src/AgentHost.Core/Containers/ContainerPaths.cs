namespace AgentHost.Core.Containers;

/// <summary>Container file paths: always absolute under <c>/mnt/data/</c>, without <c>.</c>/<c>..</c> or empty parts.</summary>
public static class ContainerPaths
{
    public const string DataRoot = "/mnt/data/";

    /// <summary>The canonical path of a file the code wrote, given relative to <c>/mnt/data</c>.</summary>
    public static string OfRelative(string relative) => DataRoot + Sandbox.SandboxPaths.Normalize(relative);
}
