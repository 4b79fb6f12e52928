using AgentHost.Core.Domain;
using AgentHost.Core.Events;
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

    private static AssistantsSseEvent Single(AgentEvent agentEvent) => Assert.Single(AssistantsStreamEvents.Render(agentEvent, false));
}
