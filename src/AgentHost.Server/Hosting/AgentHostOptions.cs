namespace AgentHost.Server.Hosting;

/// <summary>Server settings (section <c>AgentHost</c>; <c>AGENTHOST_DATA_DIR</c> and <c>AGENTHOST_API_KEY</c> also work).</summary>
public sealed class AgentHostOptions
{
    public const string SectionName = "AgentHost";

    /// <summary>Where the database and files live. Default: <c>./data</c>.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>When set, every /v1 request must send <c>Authorization: Bearer &lt;key&gt;</c>; the key is the default project's.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Projects and their keys (section <c>AgentHost:Auth</c>; docs/tenancy.md).</summary>
    public Tenancy.AuthOptions Auth { get; set; } = new();
}
