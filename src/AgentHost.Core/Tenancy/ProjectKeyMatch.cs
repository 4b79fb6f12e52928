namespace AgentHost.Core.Tenancy;

/// <summary>A key found by its hash, with whether its project is archived (then the key is refused).</summary>
public sealed record ProjectKeyMatch(ProjectKey Key, bool ProjectArchived);
