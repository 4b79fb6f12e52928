namespace AgentHost.Testing.Requirements;

/// <summary>A theory skipped, with what to install, when a component it needs is missing (see <see cref="TestComponents"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresTheoryAttribute : Xunit.TheoryAttribute
{
    public RequiresTheoryAttribute(params string[] components)
    {
        if (TestComponents.SkipReason(components) is { } reason)
        {
            Skip = reason;
        }
    }
}
