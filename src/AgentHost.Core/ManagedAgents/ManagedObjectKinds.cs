namespace AgentHost.Core.ManagedAgents;

/// <summary>The kinds of <see cref="ManagedObject"/>.</summary>
public static class ManagedObjectKinds
{
    public const string Agent = "agent";
    public const string Environment = "environment";
    public const string Session = "session";
}
