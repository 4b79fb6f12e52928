namespace AgentHost.Core.Containers;

/// <summary><c>network_policy</c> of a container. AgentHost's sandbox has no network, so only <c>disabled</c> exists.</summary>
public sealed record ContainerNetworkPolicy(string Type)
{
    public static readonly ContainerNetworkPolicy Disabled = new("disabled");
}
