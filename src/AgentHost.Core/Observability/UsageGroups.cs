namespace AgentHost.Core.Observability;

/// <summary>The ways usage can be grouped (<c>group_by</c>).</summary>
public static class UsageGroups
{
    public static readonly IReadOnlyList<string> All = ["model", "provider", "run", "thread", "assistant", "api_key", "session", "entry_point", "day", "hour"];
}
