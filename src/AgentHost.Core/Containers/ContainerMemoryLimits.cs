namespace AgentHost.Core.Containers;

/// <summary>The spec's <c>memory_limit</c> values; the default is the original's.</summary>
public static class ContainerMemoryLimits
{
    public const string Default = "1g";

    public static readonly IReadOnlyList<string> All = ["1g", "4g", "16g", "64g"];

    /// <summary>The limit in megabytes (<c>4g</c> → 4096).</summary>
    public static int Megabytes(string limit) => int.Parse(limit.AsSpan(0, limit.Length - 1), System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
