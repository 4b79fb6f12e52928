namespace AgentHost.Core.Containers;

/// <summary>Projects (tenancy) are not built yet; every container belongs to the default one until they are.</summary>
public static class ContainerProjects
{
    public const string Default = "default";
}
