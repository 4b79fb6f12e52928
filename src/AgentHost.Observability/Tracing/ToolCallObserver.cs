using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Observability.Tracing;

/// <summary>The <see cref="IRunObserver"/> that traces and meters the tools a run executes itself.</summary>
internal sealed class ToolCallObserver(ModelCallRecording recording) : IRunObserver
{
    public IToolCallTrace StartToolCall(ThreadRun run, string callId, string toolType, string arguments) =>
        new ToolCallRecorder(recording, ModelCallScope.ForRun(run, 0) with { EstimatedPromptTokens = null }, run.Id, callId, toolType, arguments);

    public IToolCallTrace StartToolCall(ModelCallScope scope, string callId, string toolType, string arguments) =>
        new ToolCallRecorder(recording, scope with { EstimatedPromptTokens = null }, null, callId, toolType, arguments);
}
