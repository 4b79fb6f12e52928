using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests;

/// <summary>Agents as tools of other agents: child sessions, parallel calls, depth and cycles, inherited hooks, cost roll-up.</summary>
public sealed class SubAgentTests
{
    private static readonly Dictionary<string, ModelPrice> Prices = new()
    {
        ["parent-model"] = new ModelPrice(3m, 15m),
        ["research-model"] = new ModelPrice(1m, 4m),
        ["coding-model"] = new ModelPrice(0.5m, 2m),
    };

    private readonly ModelsByName models = new();
    private readonly List<string> deleted = [];

    private AgentTestHost NewHost(bool priced = false) => new(configure: s =>
    {
        s.AddSingleton<IModelRouter>(models);
        if (priced)
        {
            s.AddAgentHostPrices(Prices);
        }
    });

    private static Agent Researcher(params AIFunction[] functions) =>
        new() { Name = "researcher", Model = "research-model", Instructions = "You research.", Description = "Finds facts.", Functions = functions };

    private static Agent Coder() => new() { Name = "coder", Model = "coding-model", Instructions = "You write code." };

    private static Agent Orchestrator(params Agent[] subAgents) =>
        new() { Name = "orchestrator", Model = "parent-model", Instructions = "You delegate.", SubAgents = subAgents };

    private static string Task(string text) => $$"""{"task":"{{text}}"}""";

    [Fact]
    public async Task ASubAgentCall_RunsTheChildInItsOwnSession_AndTheParentReadsItsAnswer()
    {
        using var host = NewHost();
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("find the capital of France"))), ScriptedReply.Text("It is Paris."));
        models["research-model"].Enqueue(ScriptedReply.Text("Paris."));
        var session = await host.Runtime.CreateSessionAsync(Orchestrator(Researcher()));

        var events = await AgentTestHost.CollectAsync(session.RunAsync("What is the capital of France?"));

        Assert.Equal("Paris.", ResultsOf(models["parent-model"], 1)["call_r"]);
        var childCall = Assert.Single(models["research-model"].Calls);
        Assert.Equal("You research.", childCall.Messages[0].Text);
        Assert.Equal("find the capital of France", childCall.Messages.Last().Text);
        var declared = Assert.Single(models["parent-model"].Calls.First().Options!.Tools!);
        Assert.Equal("researcher", declared.Name);
        Assert.Contains("Finds facts.", declared.Description, StringComparison.Ordinal);

        var parentRun = events.OfType<RunStatusChanged>().Last().Run;
        Assert.Equal(RunStatus.Completed, parentRun.Status);
        var childEnd = events.OfType<RunStatusChanged>().Single(e => e.Run.ThreadId != session.Id && RunStatus.IsTerminal(e.Run.Status));
        var childThread = await host.Store.GetThreadAsync(childEnd.Run.ThreadId, CancellationToken.None);
        Assert.Equal((session.Id, parentRun.Id, "call_r"),
            (childThread!.Metadata["agenthost_parent_session"], childThread.Metadata["agenthost_parent_run"], childThread.Metadata["agenthost_parent_call"]));
        Assert.Contains(events.OfType<TextDelta>(), d => d.RunId == childEnd.Run.Id && d.Text == "Paris.");
        Assert.Equal("Paris.", Assert.Single(events.OfType<ToolCallCompleted>(), c => c.CallId == "call_r").Output);
    }

    [Fact]
    public async Task AParentHookDenyingASubAgentsToolCall_KeepsTheChildsFunctionFromRunning()
    {
        using var host = NewHost();
        var delete = AIFunctionFactory.Create((string path) => { deleted.Add(path); return "deleted"; }, "delete_file");
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("clean up"))), ScriptedReply.Text("Could not."));
        models["research-model"].Enqueue(ScriptedReply.Calls(("call_d", "delete_file", """{"path":"/data"}""")), ScriptedReply.Text("I was not allowed."));
        var seen = new List<ToolCallRequest>();
        var parent = Orchestrator(Researcher(delete)) with
        {
            Hooks = new AgentHooks
            {
                BeforeToolCall = [(call, _) => { seen.Add(call); return ValueTask.FromResult(call.Name == "delete_file" ? ToolCallDecision.Deny("nothing is deleted here") : ToolCallDecision.Allow); }],
            },
        };
        var session = await host.Runtime.CreateSessionAsync(parent);

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Clean up"));

        Assert.Empty(deleted);
        Assert.Equal("Denied: nothing is deleted here", ResultsOf(models["research-model"], 1)["call_d"]);
        Assert.Contains(seen, c => (c.Name, c.AgentName, c.Depth) == ("researcher", "orchestrator", 0));
        Assert.Contains(seen, c => (c.Name, c.AgentName, c.Depth) == ("delete_file", "researcher", 1));
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task TwoSubAgentCallsInOneTurn_RunInParallel()
    {
        using var host = NewHost();
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("research")), ("call_c", "coder", Task("code"))), ScriptedReply.Text("Done."));
        // The researcher's reply is held until the coder has started: run one after the other, this would never finish.
        models["research-model"].Enqueue(ScriptedReply.Text("facts", " found") with { Gate = bothStarted });
        models["coding-model"].Enqueue(ScriptedReply.Text("code written"));
        var coder = Coder() with
        {
            Hooks = new AgentHooks { OnStop = [(_, _) => { bothStarted.TrySetResult(); return ValueTask.CompletedTask; }] },
        };
        var session = await host.Runtime.CreateSessionAsync(Orchestrator(Researcher(), coder));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = await AgentTestHost.CollectAsync(session.RunAsync("Do both"), deadline.Token);

        var results = ResultsOf(models["parent-model"], 1);
        Assert.Equal(("facts found", "code written"), (results["call_r"], results["call_c"]));
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task ASubAgentThatFails_IsAnErrorTheParentReads_AndTheParentGoesOn()
    {
        using var host = NewHost();
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("research"))), ScriptedReply.Text("The researcher failed."));
        models["research-model"].Enqueue(ScriptedReply.Fails(new InvalidOperationException("upstream exploded")));
        var session = await host.Runtime.CreateSessionAsync(Orchestrator(Researcher()));

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Research"));

        var output = ResultsOf(models["parent-model"], 1)["call_r"]!;
        Assert.StartsWith("Error: sub-agent 'researcher' ended failed", output, StringComparison.Ordinal);
        Assert.True(Assert.Single(events.OfType<ToolCallCompleted>(), c => c.CallId == "call_r").IsError);
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task ASubAgentPastTheDepthLimit_IsAnErrorTheModelReads()
    {
        using var host = NewHost();
        var grandchild = Coder();
        var child = Researcher() with { SubAgents = [grandchild] };
        var parent = Orchestrator(child) with { Limits = new AgentLimits { MaxSubAgentDepth = 1 } };
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("go deep"))), ScriptedReply.Text("ok"));
        models["research-model"].Enqueue(ScriptedReply.Calls(("call_c", "coder", Task("deeper"))), ScriptedReply.Text("could not"));
        var session = await host.Runtime.CreateSessionAsync(parent);

        await AgentTestHost.CollectAsync(session.RunAsync("Go"));

        Assert.Empty(models["coding-model"].Calls);
        Assert.Equal("Error: sub-agent 'coder' would run at depth 2, past the limit of 1.", ResultsOf(models["research-model"], 1)["call_c"]);
    }

    [Fact]
    public async Task AnAgentThatIsItsOwnSubAgent_IsRefusedBeforeTheTurnStarts()
    {
        using var host = NewHost();
        var subAgents = new List<Agent>();
        var looping = Orchestrator() with { SubAgents = subAgents };
        subAgents.Add(Researcher() with { SubAgents = [looping] });
        var session = await host.Runtime.CreateSessionAsync(looping);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await AgentTestHost.CollectAsync(session.RunAsync("Go")));

        Assert.Contains("orchestrator -> researcher -> orchestrator", error.Message, StringComparison.Ordinal);
        Assert.Empty(models["parent-model"].Calls);
    }

    [Fact]
    public async Task CostRollUp_TheParentRunsCostIsTheSumOfEveryCallsCost_ChildrenIncluded()
    {
        using var host = NewHost(priced: true);
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("research")), ("call_c", "coder", Task("code"))), ScriptedReply.Text("Done."));
        models["research-model"].Enqueue(ScriptedReply.Calls(("call_x", "researcher_note", "{}")), ScriptedReply.Text("facts"));
        models["coding-model"].Enqueue(ScriptedReply.Text("code"));
        var note = AIFunctionFactory.Create(() => "noted", "researcher_note");
        var session = await host.Runtime.CreateSessionAsync(Orchestrator(Researcher(note), Coder()));

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Do both"));

        var calls = events.OfType<ModelCallEnded>().ToList();
        Assert.Equal(5, calls.Count);
        Assert.All(calls, c => Assert.True(c.CostUsd > 0));
        var parentRun = events.OfType<RunStatusChanged>().Last().Run;
        Assert.Equal(session.Id, parentRun.ThreadId);
        Assert.Equal(calls.Sum(c => c.CostUsd!.Value), parentRun.Cost!.TotalUsd);
        Assert.Equal(5, parentRun.Cost.ModelCalls);
        // Parent: two calls of 30+9 and 20+7 tokens at $3/$15 per million.
        Assert.Equal((50 * 3m + 16 * 15m) / 1_000_000m, calls.Where(c => c.RunId == parentRun.Id).Sum(c => c.CostUsd!.Value));
        var saved = await host.Store.GetRunAsync(parentRun.ThreadId, parentRun.Id, CancellationToken.None);
        Assert.Equal(parentRun.Cost.TotalUsd, saved!.Cost!.TotalUsd);
    }

    [Fact]
    public async Task MaxCost_ReachedByASubAgent_EndsTheParentTurnIncompleteWithMaxCost()
    {
        using var host = NewHost(priced: true);
        models["parent-model"].Enqueue(ScriptedReply.Calls(("call_r", "researcher", Task("research"))));
        models["research-model"].Enqueue(ScriptedReply.Calls(("call_x", "researcher_note", "{}")), ScriptedReply.Text("never"));
        var note = AIFunctionFactory.Create(() => "noted", "researcher_note");
        // The parent's first call costs $0.000225; the child's first call ($0.000066) takes the turn past $0.00025.
        var parent = Orchestrator(Researcher(note)) with { Limits = new AgentLimits { MaxCostUsd = 0.00025m } };
        var session = await host.Runtime.CreateSessionAsync(parent);

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Research"));

        var final = events.OfType<RunStatusChanged>().Last().Run;
        Assert.Equal(session.Id, final.ThreadId);
        Assert.Equal((RunStatus.Incomplete, "max_cost"), (final.Status, final.IncompleteDetails?.Reason));
        Assert.Single(models["research-model"].Calls);
    }

    [Fact]
    public async Task MaxCost_OnAModelWithNoPrice_IsRefusedAtStartNamingTheModel()
    {
        using var host = NewHost(priced: true);
        var unpriced = Researcher() with { Model = "mystery-model" };
        var session = await host.Runtime.CreateSessionAsync(Orchestrator(unpriced) with { Limits = new AgentLimits { MaxCostUsd = 1m } });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await AgentTestHost.CollectAsync(session.RunAsync("Go")));

        Assert.Contains("model 'mystery-model' (of sub-agent 'researcher') has no price", error.Message, StringComparison.Ordinal);
        Assert.Empty(models["parent-model"].Calls);
    }

    private static Dictionary<string, string?> ResultsOf(ScriptedChatClient model, int call) =>
        model.Calls.ToList()[call].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString());
}
