using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.FileSearch;
using AgentHost.Core.Json;
using AgentHost.Core.Tools.CodeInterpreter;

namespace AgentHost.Server.Runs;

/// <summary>
/// Renders the engine's typed events as the Assistants API v2 streams them (<c>thread.run.*</c>, <c>thread.run.step.*</c>,
/// <c>thread.message.*</c>, <c>error</c>), in the original's names, order and JSON. Events the Assistants stream has no
/// name for (model calls, reasoning, tool results, approvals) render as nothing.
/// </summary>
internal static class AssistantsStreamEvents
{
    /// <summary>The <c>mcp</c> tool's type (AgentHost.Tools.Mcp), whose calls stream as step deltas too.</summary>
    private const string McpType = "mcp";

    /// <summary>The events <paramref name="agentEvent"/> renders as (none, one or two), as text: see <see cref="Write"/>.</summary>
    /// <param name="includeFileSearchContent">Whether <c>include[]</c> asked for file_search result content in step events.</param>
    public static AssistantsSseEvent[] Render(AgentEvent agentEvent, bool includeFileSearchContent)
    {
        var frames = new ArrayBufferWriter<byte>(512);
        Write(agentEvent, includeFileSearchContent, new AssistantsSseWriter(frames));
        return AssistantsSseWriter.Parse(frames.WrittenSpan);
    }

    /// <summary>Writes what <paramref name="agentEvent"/> renders as (none, one or two events) as UTF-8 SSE frames.</summary>
    /// <param name="includeFileSearchContent">Whether <c>include[]</c> asked for file_search result content in step events.</param>
    public static void Write(AgentEvent agentEvent, bool includeFileSearchContent, AssistantsSseWriter sse)
    {
        switch (agentEvent)
        {
            case RunStatusChanged changed:
                JsonSerializer.Serialize(sse.BeginData(), changed.Run, CoreJsonContext.Default.ThreadRun);
                sse.Frame("thread.run.", changed.Run.Status);
                break;
            case StepStarted started:
                WriteStep(sse.BeginData(), started.Step, includeFileSearchContent);
                sse.Frame("thread.run.step.created");
                sse.Frame("thread.run.step.in_progress");
                break;
            case StepCompleted completed:
                WriteStep(sse.BeginData(), completed.Step, includeFileSearchContent);
                sse.Frame("thread.run.step.", completed.Step.Status);
                break;
            case MessageStarted started:
                JsonSerializer.Serialize(sse.BeginData(), started.Message, CoreJsonContext.Default.ThreadMessage);
                sse.Frame("thread.message.created");
                sse.Frame("thread.message.in_progress");
                break;
            case TextDelta delta:
                WriteMessageDelta(sse.BeginData(), delta);
                sse.Frame("thread.message.delta");
                break;
            case MessageCompleted completed:
                JsonSerializer.Serialize(sse.BeginData(), completed.Message, CoreJsonContext.Default.ThreadMessage);
                sse.Frame("thread.message.", completed.Message.Status);
                break;
            case ToolCallStarted or ToolCallArgumentsDelta or ToolCallProgress:
                StepDelta((ToolCallEvent)agentEvent, sse);
                break;
            case ToolCallCompleted { ToolType: McpType } completed:
                StepDelta(completed, sse);
                break;
            case ErrorOccurred error:
                var w = sse.BeginData();
                w.WriteStartObject();
                w.WriteString("code", error.Code);
                w.WriteString("message", error.Message);
                w.WriteEndObject();
                sse.Frame("error");
                break;
        }
    }

    /// <summary><c>thread.created</c>, written by create thread-and-run before the run's own events.</summary>
    public static void WriteThreadCreated(AssistantThread thread, AssistantsSseWriter sse)
    {
        JsonSerializer.Serialize(sse.BeginData(), thread, CoreJsonContext.Default.AssistantThread);
        sse.Frame("thread.created");
    }

    /// <summary>Run events written by the endpoint itself (e.g. <c>thread.run.created</c> then <c>thread.run.queued</c>), each with the run.</summary>
    public static void WriteRun(ThreadRun run, AssistantsSseWriter sse, params ReadOnlySpan<string> names)
    {
        JsonSerializer.Serialize(sse.BeginData(), run, CoreJsonContext.Default.ThreadRun);
        foreach (var name in names)
        {
            sse.Frame(name);
        }
    }

    /// <summary>A step event written by the endpoint itself, e.g. the tool step completed by submit_tool_outputs.</summary>
    public static void WriteStep(string name, RunStep step, bool includeFileSearchContent, AssistantsSseWriter sse)
    {
        WriteStep(sse.BeginData(), step, includeFileSearchContent);
        sse.Frame(name);
    }

    private static void WriteStep(Utf8JsonWriter w, RunStep step, bool includeFileSearchContent) =>
        JsonSerializer.Serialize(w, FileSearchStepView.ForClient(step, includeFileSearchContent), CoreJsonContext.Default.RunStep);

    private static void WriteMessageDelta(Utf8JsonWriter w, TextDelta delta)
    {
        w.WriteStartObject();
        w.WriteString("id", delta.MessageId);
        w.WriteString("object", "thread.message.delta");
        w.WriteStartObject("delta");
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteNumber("index", delta.ContentIndex);
        w.WriteString("type", "text");
        w.WriteStartObject("text");
        w.WriteString("value", delta.Text);
        if (delta.Offset == 0)
        {
            // The original sent the (empty) annotations list with the first delta of a text part only.
            w.WriteStartArray("annotations");
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// <c>thread.run.step.delta</c> for the tool calls the original streamed: functions (name, then arguments) and the
    /// code interpreter (empty call, then its input, then each output). Other tools show up in the step events only.
    /// </summary>
    private static void StepDelta(ToolCallEvent call, AssistantsSseWriter sse)
    {
        if (call.ToolType is not (ToolTypes.Function or ToolTypes.CodeInterpreter or McpType) || call is ToolCallProgress && call.ToolType == ToolTypes.Function)
        {
            return;
        }

        var w = sse.BeginData();
        w.WriteStartObject();
        w.WriteString("id", call.StepId);
        w.WriteString("object", "thread.run.step.delta");
        w.WriteStartObject("delta");
        w.WriteStartObject("step_details");
        w.WriteString("type", "tool_calls");
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", call.Index);
        if (call is ToolCallStarted)
        {
            w.WriteString("id", call.CallId);
        }

        w.WriteString("type", call.ToolType);
        w.WriteStartObject(call.ToolType);
        if (call.ToolType == ToolTypes.Function)
        {
            WriteFunction(w, call);
        }
        else if (call.ToolType == McpType)
        {
            WriteMcp(w, call);
        }
        else
        {
            WriteCodeInterpreter(w, call);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();

        sse.Frame("thread.run.step.delta");
    }

    private static void WriteFunction(Utf8JsonWriter w, ToolCallEvent call)
    {
        switch (call)
        {
            case ToolCallStarted started:
                w.WriteString("name", started.Name);
                w.WriteString("arguments", string.Empty);
                w.WriteNull("output");
                break;
            case ToolCallArgumentsDelta arguments:
                w.WriteString("arguments", arguments.Delta);
                break;
        }
    }

    /// <summary>
    /// An MCP call (AgentHost extension, like its step detail): <c>arguments</c>, then <c>server_label</c> and <c>name</c>
    /// as it starts, each <c>progress</c> notification, and its <c>output</c> with <c>is_error</c> when it ends.
    /// </summary>
    private static void WriteMcp(Utf8JsonWriter w, ToolCallEvent call)
    {
        switch (call)
        {
            case ToolCallStarted:
                w.WriteString("arguments", string.Empty);
                w.WriteNull("output");
                break;
            case ToolCallArgumentsDelta arguments:
                w.WriteString("arguments", arguments.Delta);
                break;
            case ToolCallProgress { Detail: { ValueKind: JsonValueKind.Object } detail }:
                foreach (var property in detail.EnumerateObject())
                {
                    property.WriteTo(w);
                }

                break;
            case ToolCallCompleted completed:
                w.WriteString("output", completed.Output);
                w.WriteBoolean("is_error", completed.IsError);
                break;
        }
    }

    private static void WriteCodeInterpreter(Utf8JsonWriter w, ToolCallEvent call)
    {
        switch (call)
        {
            case ToolCallStarted:
                w.WriteString("input", string.Empty);
                w.WriteStartArray("outputs");
                w.WriteEndArray();
                break;
            case ToolCallArgumentsDelta arguments:
                w.WriteString("input", CodeInterpreterTool.CodeOf(arguments.Delta));
                break;
            case ToolCallProgress progress:
                w.WriteStartArray("outputs");
                w.WriteStartObject();
                w.WriteNumber("index", progress.OutputIndex);
                if (progress.ImageFileId is { } fileId)
                {
                    w.WriteString("type", "image");
                    w.WriteStartObject("image");
                    w.WriteString("file_id", fileId);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("type", "logs");
                    w.WriteString("logs", progress.Logs);
                }

                w.WriteEndObject();
                w.WriteEndArray();
                break;
        }
    }
}
