using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>A fact that is skipped, with a reason, when <c>../shared/</c> is absent.</summary>
/// <remarks>xunit 2 has no dynamic skip, so the attribute decides while tests are discovered.</remarks>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (TestComponents.SkipReason(["shared"]) is not null)
        {
            Skip = SharedArtifacts.MissingMessage;
        }
    }
}
