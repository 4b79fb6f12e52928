using AgentHost.Server.Tests.Support;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Runs;

public sealed class RunFlowTests
{
    [Fact]
    public async Task ClassicFlow_CreateAssistantThreadMessageRun_EndsWithAssistantReplyInThread()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Paris is the capital of France."));
        var client = server.Assistants();

        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Instructions = "Answer briefly." });
        AssistantThread thread = await client.CreateThreadAsync();
        await client.CreateMessageAsync(thread.Id, MessageRole.User, ["What is the capital of France?"]);
        ThreadRun run = await client.CreateRunAsync(thread.Id, assistant.Id);
        Assert.Equal(RunStatus.Queued, run.Status);

        run = await client.WaitAsync(run);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.NotNull(run.Usage);
        Assert.Equal(12, run.Usage.InputTokenCount);
        Assert.Equal(5, run.Usage.OutputTokenCount);
        var messages = await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal(2, messages.Count);
        Assert.Equal(MessageRole.Assistant, messages[1].Role);
        Assert.Equal("Paris is the capital of France.", messages[1].Content[0].Text);
        Assert.Equal(run.Id, messages[1].RunId);

        var sent = server.Upstream.Requests.Single();
        Assert.Equal("gpt-4o", sent["model"]!.GetValue<string>());
        var sentMessages = sent["messages"]!.AsArray();
        Assert.Equal("system", sentMessages[0]!["role"]!.GetValue<string>());
        Assert.Equal("What is the capital of France?", sentMessages[1]!["content"]!.ToJsonString().Contains("capital", StringComparison.Ordinal) ? "What is the capital of France?" : null);
    }

    [Fact]
    public async Task FunctionCalling_Polled_RequiresActionThenCompletesWithOutputsSentToModel()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_weather", "get_weather", """{"city":"Oslo"}""")), ScriptedTurn.Say("It is sunny in Oslo."));
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions
        {
            Tools = { new FunctionToolDefinition("get_weather") { Description = "Weather in a city" } },
        });

        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Weather in Oslo?" } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.RequiresAction, run.LastError?.Message);
        var call = Assert.Single(run.RequiredActions);
        Assert.Equal("call_weather", call.ToolCallId);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Oslo"}""", call.FunctionArguments);

        run = await client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_weather", "sunny, 21C")]);
        run = await client.WaitAsync(run);

        Assert.Equal(RunStatus.Completed, run.Status);
        var second = server.Upstream.Requests.Last()["messages"]!.AsArray();
        var toolMessage = second.Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("call_weather", toolMessage["tool_call_id"]!.GetValue<string>());
        Assert.Contains("sunny, 21C", toolMessage["content"]!.ToJsonString(), StringComparison.Ordinal);

        var steps = await client.GetRunStepsAsync(run.ThreadId, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal([RunStepKind.ToolCall, RunStepKind.CreatedMessage], steps.Select(s => s.Kind));
        Assert.Equal("sunny, 21C", steps[0].Details.ToolCalls[0].FunctionOutput);
        Assert.All(steps, s => Assert.Equal(RunStepStatus.Completed, s.Status));
    }

    [Fact]
    public async Task ParallelToolCalls_AllRequiredAtOnce_AndMissingOutputIsRefused()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_a", "lookup", """{"q":"a"}"""), ("call_b", "lookup", """{"q":"b"}""")), ScriptedTurn.Say("done"));
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FunctionToolDefinition("lookup") } });

        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "look both up" } });
        run = await client.WaitAsync(run);

        Assert.Equal(["call_a", "call_b"], run.RequiredActions.Select(a => a.ToolCallId));
        var refused = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_a", "1")]));
        Assert.Equal(400, refused.Status);
        Assert.Equal(RunStatus.RequiresAction, (await client.GetRunAsync(run.ThreadId, run.Id)).Value.Status);

        run = await client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_a", "1"), new ToolOutput("call_b", "2")]);
        Assert.Equal(RunStatus.Completed, (await client.WaitAsync(run)).Status);
        Assert.True(server.Upstream.Requests.First()["parallel_tool_calls"]?.GetValue<bool>() ?? true);
    }

    [Fact]
    public async Task OneActiveRunPerThread_SecondRunAndNewMessagesAreRefused()
    {
        await using var server = await AgentHostServer.StartAsync();
        var gate = new TaskCompletionSource();
        server.Upstream.Enqueue(new ScriptedTurn { Text = "slow answer", Gate = gate });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } });

        var secondRun = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.CreateRunAsync(run.ThreadId, assistant.Id));
        var message = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.CreateMessageAsync(run.ThreadId, MessageRole.User, ["more"]));
        gate.SetResult();

        Assert.Equal(400, secondRun.Status);
        Assert.Contains("already has an active run", secondRun.Message, StringComparison.Ordinal);
        Assert.Equal(400, message.Status);
        Assert.Contains("while a run", message.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await client.WaitAsync(run)).Status);
        await client.CreateMessageAsync(run.ThreadId, MessageRole.User, ["after the run"]);
    }

    [Fact]
    public async Task Cancel_InProgressRun_EndsCancelledAndLeavesNoOpenMessage()
    {
        await using var server = await AgentHostServer.StartAsync();
        var gate = new TaskCompletionSource();
        server.Upstream.Enqueue(new ScriptedTurn { Text = "never finished", Gate = gate });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } });
        run = await client.WaitAsync(run, r => r.Status == RunStatus.InProgress);

        ThreadRun cancelling = await client.CancelRunAsync(run.ThreadId, run.Id);
        Assert.Equal(RunStatus.Cancelling, cancelling.Status);
        run = await client.WaitAsync(cancelling);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.NotNull(run.CancelledAt);
        var messages = await client.GetMessagesAsync(run.ThreadId).ToListAsync();
        Assert.DoesNotContain(messages, m => m.Status == MessageStatus.InProgress);
        var again = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => client.CancelRunAsync(run.ThreadId, run.Id));
        Assert.Equal(400, again.Status);
    }

    [Fact]
    public async Task Cancel_RunWaitingForToolOutputs_EndsCancelled()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "f", "{}")));
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FunctionToolDefinition("f") } });
        ThreadRun run = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "go" } }));
        Assert.Equal(RunStatus.RequiresAction, run.Status);

        run = await client.WaitAsync(await client.CancelRunAsync(run.ThreadId, run.Id));

        Assert.Equal(RunStatus.Cancelled, run.Status);
        var step = Assert.Single(await client.GetRunStepsAsync(run.ThreadId, run.Id).ToListAsync());
        Assert.Equal(RunStepStatus.Cancelled, step.Status);
    }

    [Fact]
    public async Task MaxCompletionTokens_ReachedByModel_EndsRunIncomplete()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(new ScriptedTurn { Text = "a long answer cut short", CompletionTokens = 256, FinishReason = "length" });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
        AssistantThread thread = await client.CreateThreadAsync(new ThreadCreationOptions { InitialMessages = { "write a lot" } });

        ThreadRun run = await client.WaitAsync(await client.CreateRunAsync(thread.Id, assistant.Id, new RunCreationOptions { MaxOutputTokenCount = 256 }));

        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Equal(RunIncompleteReason.MaxOutputTokenCount, run.IncompleteDetails.Reason);
        Assert.Equal(256, server.Upstream.Requests.Single()["max_completion_tokens"]?.GetValue<int>() ?? server.Upstream.Requests.Single()["max_tokens"]!.GetValue<int>());
        var reply = (await client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        Assert.Equal(MessageStatus.Incomplete, reply.Status);
    }

    [Fact]
    public async Task UpstreamFailure_AfterRetries_FailsRunWithServerError()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(new ScriptedTurn { Status = 500 }, new ScriptedTurn { Status = 500 }, new ScriptedTurn { Status = 500 });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");

        ThreadRun run = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(RunErrorCode.ServerError, run.LastError.Code);
        Assert.NotNull(run.FailedAt);
    }

    [Fact]
    public async Task UnknownModel_FailsRunWithMessageSayingHowToConfigure()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("mystery-model-7");

        ThreadRun run = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("mystery-model-7", run.LastError.Message, StringComparison.Ordinal);
        Assert.Contains("Aliases", run.LastError.Message, StringComparison.Ordinal);
    }
}
