namespace AgentHost.Observability.RateLimits;

/// <summary>
/// Rate limits (<c>AgentHost:RateLimits</c>), per model name as the caller asks for it (aliases included); the entry
/// <c>*</c> covers every model not named. Each model is counted on its own, per minute, as OpenAI's are. A project may
/// set its own limits through the Admin API (<c>/v1/organization/projects/{id}/rate_limits</c>), which replace
/// <see cref="Project"/>'s for it. docs/tenancy.md.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "AgentHost:RateLimits";

    /// <summary>The limits of every project (the default project too), per model.</summary>
    public Dictionary<string, RateLimitSetting> Project { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The limits of every key (each project key, and <c>AgentHost:ApiKey</c>), per model, within its project's.</summary>
    public Dictionary<string, RateLimitSetting> Key { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The output a call is assumed to write, for its token reservation, when it sets no output limit.</summary>
    public int EstimatedOutputTokens { get; set; } = 1024;

    /// <summary>How long a node keeps a project's limits read from the store: a change made on another node applies within this.</summary>
    public TimeSpan ProjectLimitsCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The entry that covers every model not named.</summary>
    public const string AnyModel = "*";

    /// <summary>Whether any limit is configured at all (else only projects' own limits can apply).</summary>
    internal bool AnyConfigured => Project.Count > 0 || Key.Count > 0;
}
