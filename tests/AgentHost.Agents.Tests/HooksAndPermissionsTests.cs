using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests;

public sealed class HooksAndPermissionsTests
{
    private readonly List<string> deleted = [];

    private AIFunction Delete() => AIFunctionFactory.Create((string path) => { deleted.Add(path); return "deleted " + path; }, "delete_file");

    private static AIFunction List() => AIFunctionFactory.Create(() => "a.txt b.txt", "list_files");

    [Fact]
    public async Task BeforeHookDenying_KeepsTheFunctionFromRunningAndTheModelReadsTheReason()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "delete_file", """{"path":"/etc/passwd"}""")), ScriptedReply.Text("I may not."));
        var agent = AgentTestHost.Agent(Delete()) with
        {
            Hooks = new AgentHooks { BeforeToolCall = [(call, _) => ValueTask.FromResult(call.Arguments.Contains("/etc", StringComparison.Ordinal) ? ToolCallDecision.Deny("system files are off limits") : ToolCallDecision.Allow)] },
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        var events = await AgentTestHost.CollectAsync(session.RunAsync("Delete it"));

        Assert.Empty(deleted);
        Assert.Equal("Denied: system files are off limits", host.LastResults()["call_1"]);
        Assert.True(Assert.Single(events.OfType<ToolCallCompleted>()).IsError);
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task BeforeHookRewriting_RunsTheFunctionWithTheNewArguments()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "delete_file", """{"path":"/data/x"}""")), ScriptedReply.Text("Done."));
        var agent = AgentTestHost.Agent(Delete()) with
        {
            Hooks = new AgentHooks
            {
                BeforeToolCall =
                [
                    (_, _) => ValueTask.FromResult(ToolCallDecision.Rewrite("""{"path":"/sandbox/x"}""")),
                    (call, _) => ValueTask.FromResult(call.Arguments.Contains("/sandbox", StringComparison.Ordinal) ? ToolCallDecision.Allow : ToolCallDecision.Deny("not rewritten")),
                ],
            },
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        await AgentTestHost.CollectAsync(session.RunAsync("Delete it"));

        Assert.Equal(["/sandbox/x"], deleted);
        Assert.Equal("deleted /sandbox/x", host.LastResults()["call_1"]);
    }

    [Fact]
    public async Task AfterHook_ReplacesTheOutputTheModelReads()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "list_files", "{}")), ScriptedReply.Text("Two files."));
        var agent = AgentTestHost.Agent(List()) with
        {
            Hooks = new AgentHooks { AfterToolCall = [(_, output, _) => ValueTask.FromResult<string?>(output.Replace("b.txt", "[redacted]", StringComparison.Ordinal))] },
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        await AgentTestHost.CollectAsync(session.RunAsync("List"));

        Assert.Equal("a.txt [redacted]", host.LastResults()["call_1"]);
    }

    [Fact]
    public async Task AllowList_DeniesEveryOtherFunction()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "list_files", "{}"), ("call_2", "delete_file", """{"path":"a.txt"}""")), ScriptedReply.Text("ok"));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent(List(), Delete()) with { Permissions = ToolPermissions.AllowOnly("list_files") });

        await AgentTestHost.CollectAsync(session.RunAsync("Clean up"));

        var results = host.LastResults();
        Assert.Equal("a.txt b.txt", results["call_1"]);
        Assert.Equal("Denied: The tool 'delete_file' is not on this agent's allow-list.", results["call_2"]);
        Assert.Empty(deleted);
    }

    [Fact]
    public async Task DenyList_DeniesOnlyTheNamedFunctions()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "list_files", "{}"), ("call_2", "delete_file", """{"path":"a.txt"}""")), ScriptedReply.Text("ok"));
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent(List(), Delete()) with { Permissions = ToolPermissions.DenyOnly("delete_file") });

        await AgentTestHost.CollectAsync(session.RunAsync("Clean up"));

        Assert.Equal("Denied: The tool 'delete_file' is on this agent's deny-list.", host.LastResults()["call_2"]);
        Assert.Equal("a.txt b.txt", host.LastResults()["call_1"]);
    }

    [Fact]
    public async Task AskCallback_DecidesEachCall()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "list_files", "{}"), ("call_2", "delete_file", """{"path":"a.txt"}""")), ScriptedReply.Text("ok"));
        var asked = new List<string>();
        var permissions = ToolPermissions.AskEveryCall((call, _) =>
        {
            asked.Add(call.Name);
            return ValueTask.FromResult(call.Name == "list_files" ? ToolCallDecision.Allow : ToolCallDecision.Deny("the user said no"));
        });
        var session = await host.Runtime.CreateSessionAsync(AgentTestHost.Agent(List(), Delete()) with { Permissions = permissions });

        await AgentTestHost.CollectAsync(session.RunAsync("Clean up"));

        Assert.Equal(["list_files", "delete_file"], asked);
        Assert.Equal("Denied: the user said no", host.LastResults()["call_2"]);
        Assert.Empty(deleted);
    }

    [Fact]
    public async Task HookAsking_WithNoCallback_PausesUntilContinueAsync()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Calls(("call_1", "list_files", "{}"), ("call_2", "delete_file", """{"path":"a.txt"}""")), ScriptedReply.Text("Kept it."));
        var agent = AgentTestHost.Agent(List(), Delete()) with
        {
            Hooks = new AgentHooks { BeforeToolCall = [(call, _) => ValueTask.FromResult(call.Name == "delete_file" ? ToolCallDecision.Ask : ToolCallDecision.Allow)] },
        };
        var session = await host.Runtime.CreateSessionAsync(agent);

        var first = await AgentTestHost.CollectAsync(session.RunAsync("Clean up"));

        var approval = Assert.IsType<ApprovalRequested>(first[^1]);
        Assert.Equal([("call_2", PendingDecision.Permission)], approval.Pending.Select(p => (p.CallId, p.Kind)));
        Assert.Equal(["call_2"], session.PendingDecisions.Select(p => p.CallId));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await AgentTestHost.CollectAsync(session.RunAsync("hello?")));

        var second = await AgentTestHost.CollectAsync(session.ContinueAsync(new Dictionary<string, ToolCallDecision> { ["call_2"] = ToolCallDecision.Deny("the user kept it") }));

        Assert.Equal(RunStatus.Completed, second.OfType<RunStatusChanged>().Last().Run.Status);
        Assert.Equal("a.txt b.txt", host.LastResults()["call_1"]);
        Assert.Equal("Denied: the user kept it", host.LastResults()["call_2"]);
        Assert.Empty(deleted);
        Assert.Empty(session.PendingDecisions);
    }

    [Fact]
    public async Task PausedTurn_SurvivesARestartAndIsAnsweredAfterResume()
    {
        using var first = new AgentTestHost();
        first.Model.Enqueue(ScriptedReply.Calls(("call_1", "delete_file", """{"path":"a.txt"}""")));
        var agent = AgentTestHost.Agent(Delete()) with { Permissions = ToolPermissions.AskEveryCall(null) };
        var session = await first.Runtime.CreateSessionAsync(agent);
        await AgentTestHost.CollectAsync(session.RunAsync("Delete a.txt"));

        using var second = new AgentTestHost(first.Folder);
        second.Model.Enqueue(ScriptedReply.Text("Deleted."));
        var resumed = await second.Runtime.ResumeSessionAsync(agent, session.Id);
        Assert.Equal(["call_1"], resumed.PendingDecisions.Select(p => p.CallId));

        var events = await AgentTestHost.CollectAsync(resumed.ContinueAsync(new Dictionary<string, ToolCallDecision> { ["call_1"] = ToolCallDecision.Allow }));

        Assert.Equal(["a.txt"], deleted);
        Assert.Equal(RunStatus.Completed, events.OfType<RunStatusChanged>().Last().Run.Status);
    }

    [Fact]
    public async Task OnStop_SeesTheFinalRun()
    {
        using var host = new AgentTestHost();
        host.Model.Enqueue(ScriptedReply.Text("Bye."));
        ThreadRun? stopped = null;
        var agent = AgentTestHost.Agent() with { Hooks = new AgentHooks { OnStop = [(run, _) => { stopped = run; return ValueTask.CompletedTask; }] } };
        var session = await host.Runtime.CreateSessionAsync(agent);

        await AgentTestHost.CollectAsync(session.RunAsync("Bye"));

        Assert.Equal(RunStatus.Completed, stopped?.Status);
    }
}
