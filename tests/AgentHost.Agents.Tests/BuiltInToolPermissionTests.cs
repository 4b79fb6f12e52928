using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests;

/// <summary>Permissions and hooks decide the calls AgentHost runs itself (built-ins, MCP) exactly as they decide C# functions.</summary>
public sealed class BuiltInToolPermissionTests
{
    private readonly LookupTool lookup = new();

    private AgentTestHost NewHost() => new(configure: s => s.AddSingleton<IToolSource>(lookup));

    private static Agent Agent() => AgentTestHost.Agent() with { BuiltInTools = [LookupTool.Definition] };

    [Fact]
    public async Task BeforeHookDenyingABuiltInCall_KeepsItFromRunning_AndTheModelReadsTheReason()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"salaries"}""")), ScriptedReply.Text("I may not."));
        ToolCallRequest? seen = null;
        var agent = Agent() with
        {
            Hooks = new AgentHooks
            {
                BeforeToolCall = [(call, _) => { seen = call; return ValueTask.FromResult(call.ToolType == LookupTool.ToolType ? ToolCallDecision.Deny("no lookups today") : ToolCallDecision.Allow); }],
            },
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Empty(lookup.Queries);
        Assert.Equal((LookupTool.ToolType, LookupTool.ToolType, "helper", 0), (seen!.ToolType, seen.Name, seen.AgentName, seen.Depth));
        Assert.Equal("Denied: no lookups today", host.LastResults()["call_1"]);
        var completed = Assert.Single(events.OfType<ToolCallCompleted>());
        Assert.Equal((LookupTool.ToolType, true), (completed.ToolType, completed.IsError));
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task BeforeHookRewritingABuiltInCall_RunsItWithTheNewArguments()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"alice@example.com"}""")), ScriptedReply.Text("ok"));
        var agent = Agent() with
        {
            Hooks = new AgentHooks { BeforeToolCall = [(_, _) => ValueTask.FromResult(ToolCallDecision.Rewrite("""{"query":"[email]"}"""))] },
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Equal(["[email]"], lookup.Queries);
        Assert.Equal("found: [email]", host.LastResults()["call_1"]);
    }

    [Fact]
    public async Task AfterHook_ReplacesABuiltInCallsOutput()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"x"}""")), ScriptedReply.Text("ok"));
        var agent = Agent() with { Hooks = new AgentHooks { AfterToolCall = [(call, output, _) => ValueTask.FromResult<string?>(call.ToolType + " said " + output)] } };
        var session = await host.Runtime.CreateSessionAsync(agent);

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Equal("lookup said found: x", host.LastResults()["call_1"]);
        Assert.Equal("lookup said found: x", Assert.Single(events.OfType<ToolCallCompleted>()).Output);
    }

    [Fact]
    public async Task DenyList_NamingABuiltIn_DeniesIt()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"x"}""")), ScriptedReply.Text("ok"));
        var session = await host.Runtime.CreateSessionAsync(Agent() with { Permissions = ToolPermissions.DenyOnly(LookupTool.ToolType) });

        await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Empty(lookup.Queries);
        Assert.Equal("Denied: The tool 'lookup' is on this agent's deny-list.", host.LastResults()["call_1"]);
    }

    [Fact]
    public async Task AllowList_WithoutTheBuiltIn_DeniesIt()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"x"}""")), ScriptedReply.Text("ok"));
        var session = await host.Runtime.CreateSessionAsync(Agent() with { Permissions = ToolPermissions.AllowOnly("something_else") });

        await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Empty(lookup.Queries);
        Assert.StartsWith("Denied:", host.LastResults()["call_1"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskWithACallback_TheCallbackDecidesTheBuiltInCall()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"ok"}"""), ("call_2", LookupTool.ToolType, """{"query":"secret"}""")), ScriptedReply.Text("ok"));
        var agent = Agent() with
        {
            Permissions = ToolPermissions.AskEveryCall((call, _) =>
                ValueTask.FromResult(call.Arguments.Contains("secret", StringComparison.Ordinal) ? ToolCallDecision.Deny("classified") : ToolCallDecision.Allow)),
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        await AgentTestHost.CollectAsync(session.RunAsync("Look both up"));

        Assert.Equal(["ok"], lookup.Queries);
        Assert.Equal("found: ok", host.LastResults()["call_1"]);
        Assert.Equal("Denied: classified", host.LastResults()["call_2"]);
    }

    [Fact]
    public async Task AskWithoutACallback_PausesOnAPermissionApproval_AndAllowRunsTheBuiltInCall()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"x"}""")), ScriptedReply.Text("Found it."));
        var session = await host.Runtime.CreateSessionAsync(Agent() with { Permissions = ToolPermissions.AskEveryCall(null) });

        var first = await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        Assert.Empty(lookup.Queries);
        var pending = Assert.Single(session.PendingDecisions);
        Assert.Equal(("call_1", LookupTool.ToolType, LookupTool.ToolType, """{"query":"x"}"""), (pending.CallId, pending.ToolType, pending.Name, pending.Arguments));
        var asked = Assert.Single(Assert.IsType<ApprovalRequested>(first[^1]).Pending);
        Assert.Equal((PendingDecision.Permission, LookupTool.ToolType), (asked.Kind, asked.ToolType));

        var second = await AgentTestHost.CollectAsync(session.ContinueAsync(new Dictionary<string, ToolCallDecision> { ["call_1"] = ToolCallDecision.Allow }));

        Assert.Equal(["x"], lookup.Queries);
        Assert.Equal("found: x", host.LastResults()["call_1"]);
        Assert.Equal(RunStatus.Completed, second.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task AskWithoutACallback_DenyAnswer_NeverRunsTheBuiltInCall()
    {
        using var host = NewHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", LookupTool.ToolType, """{"query":"x"}""")), ScriptedReply.Text("ok"));
        var session = await host.Runtime.CreateSessionAsync(Agent() with { Permissions = ToolPermissions.AskEveryCall(null) });
        await AgentTestHost.CollectAsync(session.RunAsync("Look it up"));

        var events = await AgentTestHost.CollectAsync(session.ContinueAsync(new Dictionary<string, ToolCallDecision> { ["call_1"] = ToolCallDecision.Deny("not now") }));

        Assert.Empty(lookup.Queries);
        Assert.Equal("Denied: not now", host.LastResults()["call_1"]);
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }
}
