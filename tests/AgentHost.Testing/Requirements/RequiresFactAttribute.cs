namespace AgentHost.Testing.Requirements;

/// <summary>A fact skipped, with what to install, when a component it needs is missing (see <see cref="TestComponents"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresFactAttribute : Xunit.FactAttribute
{
    public RequiresFactAttribute(params string[] components)
    {
        if (TestComponents.SkipReason(components) is { } reason)
        {
            Skip = reason;
        }
    }
}
