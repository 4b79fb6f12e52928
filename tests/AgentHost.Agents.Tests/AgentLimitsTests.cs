using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests;

public sealed class AgentLimitsTests
{
    private static AIFunction Ping() => AIFunctionFactory.Create(() => "pong", "ping");

    [Fact]
    public async Task MaxTurns_EndsTheTurnIncompleteWhenTheModelKeepsCalling()
    {
        using var host = new AgentTestHost();
        var gate = new TaskCompletionSource();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "ping", "{}")), ScriptedReply.Calls(("call_2", "ping", "{}")), ScriptedReply.Text("never", " seen") with { Gate = gate });
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent(Ping()) with { Limits = new AgentLimits { MaxTurns = 2 } });

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Ping forever"));

        var ended = Assert.IsType<RunStatusChanged>(events[^1]).Run;
        Assert.Equal((RunStatus.Incomplete, "max_turns"), (ended.Status, ended.IncompleteDetails!.Reason));
        Assert.Equal(3, events.OfType<ModelCallStarted>().Count());
        Assert.DoesNotContain(events, e => e is MessageCompleted { Message.Status: MessageStatus.Completed });
    }

    [Fact]
    public async Task Timeout_EndsTheTurnIncompleteWhenTheClockRunsOut()
    {
        using var host = new AgentTestHost();
        var gate = new TaskCompletionSource();
        host.Model.Enqueue(ScriptedReply.Text("slow", " answer") with { Gate = gate });
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent() with { Limits = new AgentLimits { Timeout = TimeSpan.FromSeconds(30) } });
        var events = new List<AgentEvent>();

        await foreach (var agentEvent in session.RunAsync("Take your time"))
        {
            events.Add(agentEvent);
            if (agentEvent is TextDelta)
            {
                host.Time.Advance(TimeSpan.FromSeconds(31));
            }
        }

        var ended = Assert.IsType<RunStatusChanged>(events[^1]).Run;
        Assert.Equal((RunStatus.Incomplete, "max_duration"), (ended.Status, ended.IncompleteDetails!.Reason));
    }

    [Fact]
    public async Task MaxCompletionTokens_CapsTheCallAndEndsTheTurnIncompleteWhenTheModelIsCut()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Truncated("Once upon a"));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent() with { Limits = new AgentLimits { MaxCompletionTokens = 256 } });

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Tell a long story"));

        Assert.Equal(256, host.Model.Calls.Single().Options!.MaxOutputTokens);
        var ended = Assert.IsType<RunStatusChanged>(events[^1]).Run;
        Assert.Equal((RunStatus.Incomplete, "max_completion_tokens"), (ended.Status, ended.IncompleteDetails!.Reason));
    }

    [Fact]
    public async Task MaxPromptTokens_EndsTheTurnIncompleteWhenThePromptCannotFit()
    {
        using var host = new AgentTestHost();
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent() with { Limits = new AgentLimits { MaxPromptTokens = 256 } });

        var events = await AgentTestHost.CollectAsync(session.RunAsync(string.Join(' ', Enumerable.Repeat("word", 600))));

        var ended = Assert.IsType<RunStatusChanged>(events[^1]).Run;
        Assert.Equal((RunStatus.Incomplete, "max_prompt_tokens"), (ended.Status, ended.IncompleteDetails!.Reason));
        Assert.Empty(host.Model.Calls);
    }
}
