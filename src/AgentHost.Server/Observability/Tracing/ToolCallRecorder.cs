using System.Diagnostics;
using AgentHost.Core.Domain;
using AgentHost.Core.Observability;
using AgentHost.Server.Observability.Metrics;

namespace AgentHost.Server.Observability.Tracing;

/// <summary>Records one built-in tool call: input, output, duration and error.</summary>
internal sealed class ToolCallRecorder : IToolCallTrace
{
    private readonly RunTracer tracer;
    private readonly ThreadRun run;
    private readonly string callId;
    private readonly string toolType;
    private readonly string arguments;
    private readonly long startTimestamp;
    private readonly long startedAt;
    private readonly Activity? activity;
    private Exception? failure;
    private bool recorded;

    public ToolCallRecorder(RunTracer tracer, ThreadRun run, string callId, string toolType, string arguments)
    {
        this.tracer = tracer;
        this.run = run;
        this.callId = callId;
        this.toolType = toolType;
        this.arguments = arguments;
        startTimestamp = tracer.Time.GetTimestamp();
        startedAt = tracer.Time.GetUtcNow().ToUnixTimeMilliseconds();
        activity = AgentHostTelemetry.Source.StartActivity($"execute_tool {toolType}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", toolType);
        activity?.SetTag("gen_ai.tool.type", "extension");
        activity?.SetTag("gen_ai.tool.call.id", callId);
        activity?.SetTag("gen_ai.conversation.id", run.ThreadId);
        activity?.SetTag("agenthost.run.id", run.Id);
    }

    public async ValueTask CompleteAsync(string output)
    {
        recorded = true;
        await RecordAsync(output, null);
    }

    public void Fail(Exception exception) => failure = exception;

    public async ValueTask DisposeAsync()
    {
        if (!recorded)
        {
            recorded = true;
            var error = AgentHostTelemetry.SetFailed(activity, failure, "The tool call ended without an output.");
            await RecordAsync(null, error);
        }

        activity?.Dispose();
    }

    private async Task RecordAsync(string? output, string? error)
    {
        var elapsed = tracer.Time.GetElapsedTime(startTimestamp);
        tracer.Metrics.ToolCall(toolType, elapsed, error is not null);
        await tracer.SaveAsync(tracer.NewSpan(TraceSpanKinds.ToolCall, run, startedAt) with
        {
            DurationMs = (long)elapsed.TotalMilliseconds,
            Status = error is null ? "ok" : "error",
            Error = error,
            ToolCallId = callId,
            ToolType = toolType,
            Input = arguments,
            Output = output,
        });
    }
}
