using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Tests.Support;

namespace AgentHost.Core.Tests.Engine;

public sealed class RunServiceTests
{
    private static readonly ToolDefinition WeatherTool = new() { Type = ToolTypes.Function, Function = new FunctionDefinition { Name = "get_weather" } };

    [Fact]
    public async Task CreateRun_WhileAnotherIsActive_IsRefusedNamingTheActiveRun()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var first = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, "run_first", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ApiException>(() => engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id }, "run_second", CancellationToken.None));

        Assert.Contains(first.Id, refused.Message, StringComparison.Ordinal);
        Assert.Null(await engine.Store.GetRunAsync(thread.Id, "run_second", CancellationToken.None));
    }

    [Fact]
    public async Task CreateRun_TakesTheAssistantsSettingsAndAppendsAdditionalInstructions()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);

        var run = await engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = assistant.Id, AdditionalInstructions = "Use metric." }, "run_1", CancellationToken.None);

        Assert.Equal((RunStatus.Queued, "gpt-4o", "Be brief.\n\nUse metric."), (run.Status, run.Model, run.Instructions));
        Assert.Equal(["get_weather"], run.Tools.Select(t => t.Function!.Name));
    }

    [Fact]
    public async Task CreateRun_OnUnknownThreadOrAssistant_IsNotFound()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();

        var noThread = await Assert.ThrowsAsync<ApiException>(() => engine.Service.CreateRunAsync("thread_missing", new RunRequest { AssistantId = assistant.Id }, "run_1", CancellationToken.None));
        var noAssistant = await Assert.ThrowsAsync<ApiException>(() => engine.Service.CreateRunAsync(thread.Id, new RunRequest { AssistantId = "asst_missing" }, "run_2", CancellationToken.None));

        Assert.Equal((ApiErrorKind.NotFound, ApiErrorKind.NotFound), (noThread.Kind, noAssistant.Kind));
        Assert.Equal("assistant_id", noAssistant.Param);
    }

    [Fact]
    public async Task AddMessage_WhileARunIsActive_IsRefused()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        await engine.StartRunAsync(assistant, thread);

        var refused = await Assert.ThrowsAsync<ApiException>(() => engine.Service.AddMessageAsync(thread.Id, EngineHarness.UserMessage("more"), CancellationToken.None));

        Assert.Contains("while a run", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("call_other", "Invalid tool_call_id")]
    [InlineData(null, "Expected tool outputs")]
    public async Task SubmitToolOutputs_WithWrongIds_IsRefusedAndTheRunStaysPaused(string? callId, string expected)
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", "{}"), ("call_2", "get_weather", "{}")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);
        var run = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);
        ToolOutput[] outputs = callId is null ? [new("call_1", "x")] : [new("call_1", "x"), new(callId, "y")];

        var refused = await Assert.ThrowsAsync<ApiException>(() => engine.Service.SubmitToolOutputsAsync(thread.Id, run.Id, outputs, CancellationToken.None));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.RequiresAction, (await engine.GetRunAsync(run)).Status);
    }

    [Fact]
    public async Task SubmitToolOutputs_ToARunNotWaiting_IsRefused()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);

        var refused = await Assert.ThrowsAsync<ApiException>(() => engine.Service.SubmitToolOutputsAsync(thread.Id, run.Id, [new("call_1", "x")], CancellationToken.None));

        Assert.Contains("\"in_progress\" do not accept tool outputs", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRun_PastItsRequiresActionDeadline_ExpiresIt()
    {
        using var engine = new EngineHarness();
        engine.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", "{}")));
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync([WeatherTool]);
        var run = await engine.Executor.ExecuteAsync(await engine.StartRunAsync(assistant, thread), CancellationToken.None);

        engine.Time.Advance(TimeSpan.FromMinutes(9));
        var before = await engine.Service.GetRunAsync(thread.Id, run.Id, CancellationToken.None);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var after = await engine.Service.GetRunAsync(thread.Id, run.Id, CancellationToken.None);

        Assert.Equal((RunStatus.RequiresAction, RunStatus.Expired), (before.Status, after.Status));
        Assert.Equal(StepStatus.Expired, Assert.Single(await engine.StepsAsync(run)).Status);
        await Assert.ThrowsAsync<ApiException>(() => engine.Service.SubmitToolOutputsAsync(thread.Id, run.Id, [new("call_1", "late")], CancellationToken.None));
    }

    [Theory]
    [InlineData(RunStatus.Completed)]
    [InlineData(RunStatus.Cancelled)]
    public async Task Cancel_OfAnEndedRun_IsRefused(string status)
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        await engine.Transitions.TryEndAsync(run, status, null, null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ApiException>(() => engine.Service.CancelRunAsync(thread.Id, run.Id, CancellationToken.None));

        Assert.Equal($"Cannot cancel run with status '{status}'.", refused.Message);
    }

    [Fact]
    public async Task Cancel_OfAnExecutingRun_SignalsItsToken()
    {
        using var engine = new EngineHarness();
        var (assistant, thread) = await engine.CreateAssistantAndThreadAsync();
        var run = await engine.StartRunAsync(assistant, thread);
        using var stopping = new CancellationTokenSource();
        using var registration = engine.Cancellations.Register(run.Id, stopping.Token);

        var cancelling = await engine.Service.CancelRunAsync(thread.Id, run.Id, CancellationToken.None);

        Assert.Equal(RunStatus.Cancelling, cancelling.Status);
        Assert.True(registration.IsCancellationRequested);
    }
}
