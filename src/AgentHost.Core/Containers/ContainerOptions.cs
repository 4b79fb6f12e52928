namespace AgentHost.Core.Containers;

/// <summary>Containers (<c>AgentHost:Containers</c>); the sandbox's own limits are in <c>AgentHost:Sandbox</c>.</summary>
public sealed class ContainerOptions
{
    public const string SectionName = "AgentHost:Containers";

    /// <summary><c>expires_after.minutes</c> when a create request gives none: the original's 20.</summary>
    public int DefaultExpiryMinutes { get; set; } = 20;

    /// <summary>The most <c>expires_after.minutes</c> a request may ask for (default 30 days).</summary>
    public int MaxExpiryMinutes { get; set; } = 30 * 24 * 60;

    /// <summary>How often expired containers are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A container's live sandbox session is stopped after this long without use; its files stay and are restored on the next call.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most files one container holds; files past it are refused (uploads) or not kept (written by code, with a note in the logs).</summary>
    public int MaxFiles { get; set; } = 1000;
}
