using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>What one streamed model call produced.</summary>
internal sealed record ModelTurn(
    ThreadMessage? Message,
    RunStep? MessageStep,
    IReadOnlyList<FunctionCallContent> ToolCalls,
    Usage Usage,
    ChatFinishReason? FinishReason)
{
    /// <summary>The turn's reasoning when no message step took it: the tool step records it.</summary>
    public StepReasoning? Reasoning { get; init; }
}
