namespace AgentHost.Core.Conversations;

/// <summary>Tenancy projects. Until projects can be created, every stored conversation belongs to <see cref="Default"/>.</summary>
public static class Projects
{
    public const string Default = "default";
}
