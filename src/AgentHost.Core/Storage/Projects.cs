namespace AgentHost.Core.Storage;

/// <summary>Projects (tenants). Every stored response, item and conversation carries one; all share the default until tenancy lands.</summary>
public static class Projects
{
    public const string Default = "default";
}
