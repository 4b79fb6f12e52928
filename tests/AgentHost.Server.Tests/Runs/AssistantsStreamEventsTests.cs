using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Json;
using AgentHost.Server.Runs;

namespace AgentHost.Server.Tests.Runs;

/// <summary>
/// The typed events render as the exact bytes the engine sent before it had typed events (captured from a streamed run
/// with escaping-sensitive text), so streaming clients see no change.
/// </summary>
public sealed class AssistantsStreamEventsTests
{
    [Fact]
    public void FirstTextDelta_CarriesEmptyAnnotations_LaterOnesDoNot()
    {
        var first = Single(new TextDelta("msg_5", 0, 0, "It's") { RunId = "run_1" });
        var later = Single(new TextDelta("msg_5", 0, 4, " \"warm\"") { RunId = "run_1" });

        Assert.Equal("thread.message.delta", first.Name);
        Assert.Equal("""{"id":"msg_5","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"It\u0027s","annotations":[]}}]}}""", first.Data);
        Assert.Equal("""{"id":"msg_5","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":" \u0022warm\u0022"}}]}}""", later.Data);
    }

    [Fact]
    public void FunctionCall_RendersNameThenArguments()
    {
        var started = Single(new ToolCallStarted { RunId = "run_1", StepId = "step_3", Index = 0, CallId = "call_1", ToolType = ToolTypes.Function, Name = "get_weather" });
        var arguments = Single(new ToolCallArgumentsDelta
        {
            RunId = "run_1", StepId = "step_3", Index = 0, CallId = "call_1", ToolType = ToolTypes.Function, Delta = """{"city":"Z\u00FCrich \u003C\u0026\u003E \u0022q\u0022"}""",
        });

        Assert.Equal("thread.run.step.delta", started.Name);
        Assert.Equal("""{"id":"step_3","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"","output":null}}]}}}""", started.Data);
        Assert.Equal("""{"id":"step_3","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"type":"function","function":{"arguments":"{\u0022city\u0022:\u0022Z\\u00FCrich \\u003C\\u0026\\u003E \\u0022q\\u0022\u0022}"}}]}}}""", arguments.Data);
    }

    [Fact]
    public void CodeInterpreterCall_RendersEmptyCallThenCodeThenOutputs()
    {
        var started = Single(new ToolCallStarted { RunId = "run_1", StepId = "step_3", Index = 1, CallId = "call_2", ToolType = ToolTypes.CodeInterpreter, Name = "code_interpreter" });
        var input = Single(new ToolCallArgumentsDelta
        {
            RunId = "run_1", StepId = "step_3", Index = 1, CallId = "call_2", ToolType = ToolTypes.CodeInterpreter, Delta = """{"code":"print('h\u00E9llo <b>')\n1+1"}""",
        });
        var logs = Single(new ToolCallProgress { RunId = "run_1", StepId = "step_3", Index = 1, CallId = "call_2", ToolType = ToolTypes.CodeInterpreter, OutputIndex = 0, Logs = "h\u00E9llo <b>\n2\n" });
        var image = Single(new ToolCallProgress { RunId = "run_1", StepId = "step_3", Index = 1, CallId = "call_2", ToolType = ToolTypes.CodeInterpreter, OutputIndex = 1, ImageFileId = "file_9" });

        Assert.Equal("""{"id":"step_3","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"id":"call_2","type":"code_interpreter","code_interpreter":{"input":"","outputs":[]}}]}}}""", started.Data);
        Assert.Equal("""{"id":"step_3","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"type":"code_interpreter","code_interpreter":{"input":"print(\u0027h\u00E9llo \u003Cb\u003E\u0027)\n1\u002B1"}}]}}}""", input.Data);
        Assert.Equal("""{"id":"step_3","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"type":"code_interpreter","code_interpreter":{"outputs":[{"index":0,"type":"logs","logs":"h\u00E9llo \u003Cb\u003E\n2\n"}]}}]}}}""", logs.Data);
        Assert.Equal("""{"id":"step_3","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"type":"code_interpreter","code_interpreter":{"outputs":[{"index":1,"type":"image","image":{"file_id":"file_9"}}]}}]}}}""", image.Data);
    }

    [Fact]
    public void FileSearchCall_HasNoStepDelta()
    {
        var started = AssistantsStreamEvents.Render(
            new ToolCallStarted { RunId = "run_1", StepId = "step_3", Index = 0, CallId = "call_1", ToolType = ToolTypes.FileSearch, Name = "file_search" }, false);

        Assert.Empty(started);
    }

    [Fact]
    public void StartedStepAndMessage_RenderAsCreatedThenInProgress_WithTheSameData()
    {
        var step = new RunStep
        {
            Id = "step_1", CreatedAt = 1, RunId = "run_1", AssistantId = "asst_1", ThreadId = "thread_1", Type = StepTypes.MessageCreation,
            StepDetails = new StepDetails { Type = StepTypes.MessageCreation, MessageCreation = new MessageCreation("msg_1") },
        };

        var rendered = AssistantsStreamEvents.Render(new StepStarted(step) { RunId = "run_1" }, false);

        Assert.Equal(["thread.run.step.created", "thread.run.step.in_progress"], rendered.Select(e => e.Name));
        Assert.Equal(rendered[0].Data, rendered[1].Data);
        Assert.Contains("\"id\":\"step_1\"", rendered[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorAndModelCalls_RenderAsErrorAndNothing()
    {
        var error = Single(new ErrorOccurred("server_error", "It broke.") { RunId = "run_1" });

        Assert.Equal("error", error.Name);
        Assert.Equal("""{"code":"server_error","message":"It broke."}""", error.Data);
        Assert.Empty(AssistantsStreamEvents.Render(new ModelCallStarted("gpt-4o") { RunId = "run_1" }, false));
        Assert.Empty(AssistantsStreamEvents.Render(new ReasoningDelta("hmm") { RunId = "run_1" }, false));
    }

    /// <summary>
    /// Runs, steps and messages are now serialized by the source-generated context straight into the frame buffer; the
    /// data must be byte for byte what the previous renderer's <c>JsonSerializer.Serialize</c> to a string gave.
    /// </summary>
    [Fact]
    public void RunStepAndMessageEvents_WriteTheSameBytesAsSerializingToAString()
    {
        var text = "It's <b>\"warm\"</b> & caf\u00E9 \U0001F600 \u2028";
        using var annotation = JsonDocument.Parse("""{"type":"file_citation","text":"\u3010source\u3011","file_citation":{"file_id":"file_1"}}""");
        var message = new ThreadMessage
        {
            Id = "msg_1", CreatedAt = 2, ThreadId = "thread_1", RunId = "run_1", AssistantId = "asst_1", Role = MessageRoles.Assistant,
            Content = [new MessageContent { Type = "text", Text = new MessageText { Value = text, Annotations = [annotation.RootElement.Clone()] } }],
            Metadata = new Dictionary<string, string> { ["k"] = text },
        };
        var run = new ThreadRun
        {
            Id = "run_1", CreatedAt = 1, AssistantId = "asst_1", ThreadId = "thread_1", Model = "gpt-4o", Instructions = text, Status = RunStatus.Completed,
            Metadata = new Dictionary<string, string> { ["k"] = text },
        };
        var step = new RunStep
        {
            Id = "step_1", CreatedAt = 1, RunId = "run_1", AssistantId = "asst_1", ThreadId = "thread_1", Type = StepTypes.MessageCreation, Status = "completed",
            StepDetails = new StepDetails { Type = StepTypes.MessageCreation, MessageCreation = new MessageCreation("msg_1") },
        };

        foreach (var status in new[] { RunStatus.InProgress, RunStatus.Completed, RunStatus.Failed })
        {
            var changed = run with { Status = status };
            var rendered = Single(new RunStatusChanged(changed) { RunId = "run_1" });
            Assert.Equal("thread.run." + status, rendered.Name);
            Assert.Equal(JsonSerializer.Serialize(changed, CoreJsonContext.Default.ThreadRun), rendered.Data);
        }

        var messageJson = JsonSerializer.Serialize(message, CoreJsonContext.Default.ThreadMessage);
        Assert.Equal([("thread.message.created", messageJson), ("thread.message.in_progress", messageJson)],
            AssistantsStreamEvents.Render(new MessageStarted(message) { RunId = "run_1" }, false).Select(e => (e.Name, e.Data)));
        Assert.Equal(("thread.message.completed", messageJson), (Single(new MessageCompleted(message) { RunId = "run_1" }).Name, Single(new MessageCompleted(message) { RunId = "run_1" }).Data));
        var stepJson = JsonSerializer.Serialize(step, CoreJsonContext.Default.RunStep);
        Assert.Equal([("thread.run.step.created", stepJson), ("thread.run.step.in_progress", stepJson)],
            AssistantsStreamEvents.Render(new StepStarted(step) { RunId = "run_1" }, false).Select(e => (e.Name, e.Data)));
        Assert.Equal(("thread.run.step.completed", stepJson), (Single(new StepCompleted(step) { RunId = "run_1" }).Name, Single(new StepCompleted(step) { RunId = "run_1" }).Data));
    }

    /// <summary>The frames EventStream writes are <c>event: name\ndata: json\n\n</c>, one per rendered event, in order.</summary>
    [Fact]
    public void Writer_FramesEachEventAsTheOriginalDid()
    {
        var frames = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new AssistantsSseWriter(frames);

        AssistantsStreamEvents.Write(new TextDelta("msg_5", 0, 0, "Hi\n") { RunId = "run_1" }, false, writer);
        AssistantsStreamEvents.Write(new ErrorOccurred("server_error", "It broke.") { RunId = "run_1" }, false, writer);
        writer.Frame(new AssistantsSseEvent("done", "[DONE]"));

        Assert.Equal(
            "event: thread.message.delta\ndata: {\"id\":\"msg_5\",\"object\":\"thread.message.delta\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\",\"text\":{\"value\":\"Hi\\n\",\"annotations\":[]}}]}}\n\n"
            + "event: error\ndata: {\"code\":\"server_error\",\"message\":\"It broke.\"}\n\nevent: done\ndata: [DONE]\n\n",
            System.Text.Encoding.UTF8.GetString(frames.WrittenSpan));
    }

    private static AssistantsSseEvent Single(AgentEvent agentEvent) => Assert.Single(AssistantsStreamEvents.Render(agentEvent, false));
}
