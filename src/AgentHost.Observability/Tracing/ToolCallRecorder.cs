using System.Diagnostics;
using AgentHost.Core.Observability;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// Records one tool call the server executes itself, in a run or for a gateway call: input, output, duration, error, and
/// (in a run) its share of the cost of the model call that asked for it.
/// </summary>
internal sealed class ToolCallRecorder : IToolCallTrace
{
    private readonly ModelCallRecording recording;
    private readonly ModelCallScope scope;
    private readonly string? runId;
    private readonly string callId;
    private readonly string toolType;
    private readonly string arguments;
    private readonly long startTimestamp;
    private readonly long startedAt;

    // The project the call is made in, read now: spans are built later, on the trace writer's loop.
    private readonly string project = Core.Storage.ProjectScope.ForWrite;
    private readonly Activity? activity;
    private Exception? failure;
    private bool recorded;

    public ToolCallRecorder(ModelCallRecording recording, ModelCallScope scope, string? runId, string callId, string toolType, string arguments)
    {
        this.recording = recording;
        this.scope = scope;
        this.runId = runId;
        this.callId = callId;
        this.toolType = toolType;
        this.arguments = arguments;
        startTimestamp = recording.Time.GetTimestamp();
        startedAt = recording.Time.GetUtcNow().ToUnixTimeMilliseconds();
        activity = AgentHostTelemetry.Source.StartActivity($"execute_tool {toolType}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", toolType);
        activity?.SetTag("gen_ai.tool.type", "extension");
        activity?.SetTag("gen_ai.tool.call.id", callId);
        activity?.SetTag("gen_ai.conversation.id", scope.ThreadId ?? scope.SessionId);
        activity?.SetTag("agenthost.run.id", runId);
        activity?.SetTag("agenthost.session.id", scope.SessionId);
    }

    public ValueTask CompleteAsync(string output)
    {
        recorded = true;
        Record(output, null);
        return ValueTask.CompletedTask;
    }

    public void Fail(Exception exception) => failure = exception;

    public ValueTask DisposeAsync()
    {
        if (!recorded)
        {
            recorded = true;
            Record(null, AgentHostTelemetry.SetFailed(activity, failure, "The tool call ended without an output."));
        }

        activity?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Record(string? output, string? error)
    {
        var elapsed = recording.Time.GetElapsedTime(startTimestamp);
        recording.Metrics.ToolCall(project, toolType, elapsed, error is not null);
        var apiKeyId = recording.ApiKeyIdOf(scope);
        recording.Traces.Enqueue(() => ModelCallRecording.NewSpan(TraceSpanKinds.ToolCall, scope, apiKeyId, project, startedAt) with
        {
            DurationMs = (long)elapsed.TotalMilliseconds,
            Status = error is null ? "ok" : "error",
            Error = error,
            ToolCallId = callId,
            ToolType = toolType,
            Input = arguments,
            Output = output,
            Cost = runId is null ? null : recording.CostShares.ShareOf(runId, callId),
        });
    }
}
