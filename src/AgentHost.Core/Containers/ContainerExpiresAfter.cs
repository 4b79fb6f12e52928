namespace AgentHost.Core.Containers;

/// <summary><c>expires_after</c>: the container expires <see cref="Minutes"/> after <see cref="Anchor"/> (always <c>last_active_at</c>).</summary>
public sealed record ContainerExpiresAfter(string Anchor, int Minutes)
{
    public const string LastActiveAt = "last_active_at";
}
