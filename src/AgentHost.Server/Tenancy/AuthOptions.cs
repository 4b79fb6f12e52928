namespace AgentHost.Server.Tenancy;

/// <summary>Section <c>AgentHost:Auth</c>: the admin key that turns on projects and project keys (docs/tenancy.md).</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// The admin key (env <c>AgentHost__Auth__AdminKey</c>): manages <c>/v1/organization/projects</c> and their keys, and
    /// reads every project's objects (the console). Unset: no projects, one optional key (<c>AgentHost:ApiKey</c>).
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>How long a project key found in the store is trusted before it is looked up again (another node's delete takes this long to reach this one).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(10);
}
