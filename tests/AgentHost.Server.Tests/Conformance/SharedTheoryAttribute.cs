using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>A theory that is skipped, with a reason, when <c>../shared/</c> is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (TestComponents.SkipReason(["shared"]) is not null)
        {
            Skip = SharedArtifacts.MissingMessage;
        }
    }
}
