using AgentHost.Core.Storage;

namespace AgentHost.Core.Containers;

/// <summary>The project a new container or container file belongs to: the current one (<see cref="ProjectScope"/>).</summary>
public static class ContainerProjects
{
    public static string Default => ProjectScope.ForWrite;
}
