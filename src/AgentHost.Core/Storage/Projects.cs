namespace AgentHost.Core.Storage;

/// <summary>Projects (tenants). Every stored row carries one; data written before projects existed, and every call made with the single configured key, belongs to the default.</summary>
public static class Projects
{
    public const string Default = "default";
}
