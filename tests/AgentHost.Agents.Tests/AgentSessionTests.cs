using System.ComponentModel;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests;

public sealed class AgentSessionTests
{
    [Fact]
    public async Task RunAsync_YieldsTypedEventsAndSavesTheConversation()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Text("Hi", " there"));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent());

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Hello"));

        Assert.Equal("Hi there", string.Concat(events.OfType<TextDelta>().Select(d => d.Text)));
        Assert.Equal(RunStatus.Completed, Assert.IsType<RunStatusChanged>(events[^1]).Run.Status);
        Assert.Contains(events, e => e is ModelCallEnded { Usage.CompletionTokens: 7 });
        var messages = await session.GetMessagesAsync();
        Assert.Equal([(MessageRoles.User, "Hello"), (MessageRoles.Assistant, "Hi there")], messages.Select(m => (m.Role, m.Content[0].Text!.Value)));
        Assert.Equal(["Be brief.", "Hello"], host.Model.Calls.Single().Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task FunctionFromACSharpMethod_IsOfferedCalledAndReadBack()
    {
        using var host = new AgentTestHost();
        var asked = new List<string>();
        var weather = AIFunctionFactory.Create(([Description("City")] string city) => { asked.Add(city); return $"{city}: 21 C"; }, "get_weather", "Current weather");
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "get_weather", """{"city":"Oslo"}""")), ScriptedReply.Text("Warm."));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent(weather));

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Weather?"));

        Assert.Equal(["Oslo"], asked);
        Assert.Equal("Oslo: 21 C", host.LastResults()["call_1"]);
        var offered = host.Model.Calls.First().Options!.Tools!.Single();
        Assert.Equal(("get_weather", "Current weather"), (offered.Name, offered.Description));
        var completed = Assert.Single(events.OfType<ToolCallCompleted>());
        Assert.Equal(("get_weather", "Oslo: 21 C", false), (completed.Name, completed.Output, completed.IsError));
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
        Assert.Equal(2, events.OfType<RunStatusChanged>().Count(e => e.Run.Status == RunStatus.InProgress));
    }

    [Fact]
    public async Task FunctionThatThrows_ReturnsTheErrorToTheModelAndTheTurnGoesOn()
    {
        using var host = new AgentTestHost();
        var broken = AIFunctionFactory.Create(string () => throw new InvalidOperationException("database down"), "lookup");
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "lookup", "{}")), ScriptedReply.Text("Sorry."));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent(broken));

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Equal("Error: database down", host.LastResults()["call_1"]);
        Assert.True(Assert.Single(events.OfType<ToolCallCompleted>()).IsError);
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task ModelFailure_EndsTheTurnFailedWithTheError()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Fails(new Core.Models.ModelCallException(RunErrorCodes.RateLimitExceeded, "Slow down.")));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent());

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Hello"));

        var failed = Assert.IsType<RunStatusChanged>(events[^1]).Run;
        Assert.Equal((RunStatus.Failed, RunErrorCodes.RateLimitExceeded), (failed.Status, failed.LastError!.Code));
    }

    [Fact]
    public async Task CallerCancelling_EndsTheRunCancelled()
    {
        using var host = new AgentTestHost();
        var gate = new TaskCompletionSource();
        host.Model.Enqueue(ScriptedReply.Text("Once", " upon") with { Gate = gate });
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent());
        using var stop = new CancellationTokenSource();
        var seen = new List<AgentEvent>();

        await foreach (var agentEvent in session.RunAsync("Story", stop.Token))
        {
            seen.Add(agentEvent);
            if (agentEvent is TextDelta)
            {
                await stop.CancelAsync();
            }
        }

        Assert.Equal(RunStatus.Cancelled, Assert.IsType<RunStatusChanged>(seen[^1]).Run.Status);
        var reply = (await session.GetMessagesAsync())[^1];
        Assert.Equal((MessageStatus.Incomplete, "run_cancelled"), (reply.Status, reply.IncompleteDetails!.Reason));
    }

    [Fact]
    public async Task ResumeById_InANewRuntime_GoesOnWithTheSavedHistory()
    {
        using var first = new AgentTestHost();
        first.Model.Enqueue(ScriptedReply.Text("Nice to meet you, Ada."));
        var session = await first.Runtime.CreateSessionAsync(AgentTestHost.Agent());
        await AgentTestHost.CollectAsync(session.RunAsync("I am Ada."));

        using var second = new AgentTestHost(first.Folder);
        second.Model.Enqueue(ScriptedReply.Text("You are Ada."));
        var resumed = await second.Runtime.ResumeSessionAsync(AgentTestHost.Agent(), session.Id);
        await AgentTestHost.CollectAsync(resumed.RunAsync("Who am I?"));

        Assert.Equal(session.Id, resumed.Id);
        Assert.Equal(["Be brief.", "I am Ada.", "Nice to meet you, Ada.", "Who am I?"], second.Model.Calls.Single().Messages.Select(m => m.Text));
        Assert.Equal(4, (await resumed.GetMessagesAsync()).Count);
    }

    [Fact]
    public async Task ResumeById_OfAnUnknownSession_SaysSo()
    {
        using var host = new AgentTestHost();

        var missing = await Assert.ThrowsAsync<Core.Errors.ApiException>(() => host.Runtime.ResumeSessionAsync(AgentTestHost.Agent(), "thread_missing"));

        Assert.Contains("thread_missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fork_AtAMessage_StartsANewSessionWithHistoryUpToItAndLeavesTheOriginal()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Text("Paris."), ScriptedReply.Text("Berlin."), ScriptedReply.Text("Rome."));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent());
        await AgentTestHost.CollectAsync(session.RunAsync("Capital of France?"));
        await AgentTestHost.CollectAsync(session.RunAsync("Capital of Germany?"));
        var afterFrance = (await session.GetMessagesAsync())[1];

        var fork = await host.Runtime.ForkSessionAsync(AgentTestHost.Agent(), session.Id, afterFrance.Id);
        await AgentTestHost.CollectAsync(fork.RunAsync("Capital of Italy?"));

        Assert.NotEqual(session.Id, fork.Id);
        Assert.Equal(["Be brief.", "Capital of France?", "Paris.", "Capital of Italy?"], host.Model.Calls.Last().Messages.Select(m => m.Text));
        Assert.Equal(4, (await session.GetMessagesAsync()).Count);
        Assert.Equal(["Capital of France?", "Paris.", "Capital of Italy?", "Rome."], (await fork.GetMessagesAsync()).Select(m => m.Content[0].Text!.Value));
    }
}
