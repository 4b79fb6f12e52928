using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Observability;

/// <summary>What a model call returned: the raw completion as the executor assembled it, and its usage.</summary>
public sealed record ModelCallOutcome
{
    public required string Text { get; init; }

    public required IReadOnlyList<FunctionCallContent> ToolCalls { get; init; }

    public string? FinishReason { get; init; }

    /// <summary>The model that answered, as the provider named it (a fallback shows here).</summary>
    public string? ResponseModel { get; init; }

    /// <summary>Usage as the provider reported it, or null when it reported none.</summary>
    public UsageDetails? Reported { get; init; }

    /// <summary>Usage as the run counts it (estimated when the provider reported none).</summary>
    public required Usage Usage { get; init; }
}
