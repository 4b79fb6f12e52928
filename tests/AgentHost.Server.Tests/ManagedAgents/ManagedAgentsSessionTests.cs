using System.Text.Json.Nodes;
using AgentHost.Core.Observability;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// Session turns driven by the pinned Anthropic SDK, on a scripted Claude upstream and a scripted OpenAI-wire upstream:
/// events streamed in order and listed afterwards, a custom tool round trip, permission confirmations allowed and denied,
/// an interrupt that kills a running command, and the session budget stopping a turn.
/// </summary>
public sealed class ManagedAgentsSessionTests
{
    [RequiresTheory("node:anthropic-sdk")]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task CustomTool_RoundTripsThroughTheClient_AndTheStreamedEventsAreListedAfterwardsInTheSameOrder(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_1", "lookup", """{"q":"France"}""")) with { Thinking = model == CompatClients.Claude ? "The user wants a capital." : null },
            ScriptedTurn.Say("The capital of France is Paris."));

        var result = await ManagedAgentsSdk.RunAsync(server, "custom", new JsonObject { ["model"] = model });

        var streamed = result["streamed"]!.AsArray();
        var expected = new List<string>
        {
            "user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.custom_tool_use", "session.status_idle",
            "user.custom_tool_result", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.status_idle",
        };
        if (model == CompatClients.Claude)
        {
            expected.Insert(3, "agent.thinking");
        }

        Assert.Equal(expected, ManagedAgentsSdk.Types(streamed));
        var use = streamed.Single(e => e!["type"]!.GetValue<string>() == "agent.custom_tool_use")!;
        Assert.Equal("lookup", use["name"]!.GetValue<string>());
        Assert.Equal("France", use["input"]!["q"]!.GetValue<string>());
        var idle = streamed.First(e => e!["type"]!.GetValue<string>() == "session.status_idle")!;
        Assert.Equal("requires_action", idle["stop"]!.GetValue<string>());
        Assert.Equal([use["id"]!.GetValue<string>()], idle["event_ids"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("end_turn", streamed[^1]!["stop"]!.GetValue<string>());
        Assert.Equal("The capital of France is Paris.", streamed.Single(e => e!["type"]!.GetValue<string>() == "agent.message")!["content"]![0]!["text"]!.GetValue<string>());

        // Listed afterwards: the same events, ids and order; pages and type filters work as the SDK reads them.
        Assert.Equal(streamed.Select(e => e!["id"]!.GetValue<string>()), result["listed"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        Assert.Equal(streamed.Take(2).Select(e => e!["id"]!.GetValue<string>()), result["firstPage"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["user.message", "agent.message"], result["types"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("idle", result["session"]!["status"]!.GetValue<string>());
        Assert.True(result["session"]!["usage"]!["output_tokens"]!.GetValue<long>() > 0);

        // The model read the client's result with its call, as its provider's wire has them.
        var second = server.Upstream.Requests.ToList()[1].ToJsonString();
        Assert.Contains("capital(France) = Paris", second);
    }

    [RequiresFact("node:anthropic-sdk")]
    public async Task AlwaysAsk_PausesEachCall_UntilConfirmed_AndADenialReachesTheModelWithoutRunningTheCall()
    {
        var toolset = new ScriptedToolset();
        await using var server = await AgentHostServer.StartAsync(builder => builder.Services.AddSingleton<Core.Tools.IToolSource>(toolset));
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_a", "bash", """{"command":"echo hi"}""")),
            ScriptedTurn.Say("It printed hi."),
            ScriptedTurn.Call(("toolu_b", "bash", """{"command":"rm -rf /"}""")),
            ScriptedTurn.Say("Understood, I will not."));

        var result = await ManagedAgentsSdk.RunAsync(server, "confirm", new JsonObject { ["model"] = CompatClients.Claude });

        var allowed = result["allowed"]!.AsArray();
        var use = allowed.Single(e => e!["type"]!.GetValue<string>() == "agent.tool_use")!;
        Assert.Equal("ask", use["evaluated_permission"]!.GetValue<string>());
        Assert.Equal(
            ["user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.tool_use", "session.status_idle",
             "user.tool_confirmation", "session.status_running", "agent.tool_result", "span.model_request_start", "span.model_request_end", "agent.message", "session.status_idle"],
            ManagedAgentsSdk.Types(allowed));
        var toolResult = allowed.Single(e => e!["type"]!.GetValue<string>() == "agent.tool_result")!;
        Assert.Equal(use["id"]!.GetValue<string>(), toolResult["tool_use_id"]!.GetValue<string>());
        Assert.Equal("ran: echo hi", toolResult["content"]![0]!["text"]!.GetValue<string>());

        var denied = result["denied"]!.AsArray();
        Assert.DoesNotContain("agent.tool_result", ManagedAgentsSdk.Types(denied));
        Assert.Equal("end_turn", denied[^1]!["stop"]!.GetValue<string>());
        Assert.Equal(["echo hi"], toolset.Calls.Select(c => c.Command));

        // The call ran in the session's workspace, and the model read the denial's reason.
        Assert.StartsWith("cntr_", toolset.Calls.Single().ContainerId);
        Assert.Contains("Not on my machine.", server.Upstream.Requests.ToList()[3].ToJsonString());
    }

    [RequiresFact("node:anthropic-sdk")]
    public async Task Interrupt_KillsTheRunningCommand_IdlesTheSession_AndTheNextTurnGoesOn()
    {
        var toolset = new ScriptedToolset();
        await using var signal = await LoopbackServer.StartAsync(app => app.MapGet("/sleeping", async () =>
        {
            await toolset.Sleeping.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return "sleeping";
        }));
        await using var server = await AgentHostServer.StartAsync(builder => builder.Services.AddSingleton<Core.Tools.IToolSource>(toolset));
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_s", "bash", """{"command":"sleep"}""")), ScriptedTurn.Say("Done."));

        var result = await ManagedAgentsSdk.RunAsync(server, "interrupt", new JsonObject { ["model"] = CompatClients.Gpt, ["signal"] = signal.Origin + "/sleeping" });

        var first = result["first"]!.AsArray();
        Assert.Contains("user.interrupt", ManagedAgentsSdk.Types(first));
        Assert.DoesNotContain("agent.tool_result", ManagedAgentsSdk.Types(first));
        Assert.Equal("end_turn", first[^1]!["stop"]!.GetValue<string>());
        Assert.Single(toolset.Cancelled);

        var second = result["second"]!.AsArray();
        Assert.True(ManagedAgentsSdk.Types(second).Contains("agent.message"), result.ToJsonString());
        Assert.Equal("Done.", second.Single(e => e!["type"]!.GetValue<string>() == "agent.message")!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("idle", result["session"]!["status"]!.GetValue<string>());

        // The next turn's model call carried the interrupted call with a result saying so.
        Assert.Contains("interrupted", server.Upstream.Requests.ToList()[^1].ToJsonString());
    }

    [RequiresFact("node:anthropic-sdk")]
    public async Task Budget_StopsTheSession_WithBudgetReached_OnceItsSpendReachesTheLimit()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Thought hard.") with { PromptTokens = 1_000_000, CompletionTokens = 100_000 });

        var result = await ManagedAgentsSdk.RunAsync(server, "budget", new JsonObject { ["model"] = CompatClients.Claude });

        Assert.Equal("end_turn", result["first"]!.AsArray()[^1]!["stop"]!.GetValue<string>());
        var second = result["second"]!.AsArray();
        Assert.Equal("budget_reached", second[^1]!["stop"]!.GetValue<string>());
        Assert.DoesNotContain("agent.message", ManagedAgentsSdk.Types(second));
        Assert.Single(server.Upstream.Requests);
        var cost = result["session"]!["usage"]!["list_cost"]!;
        Assert.True(int.Parse(cost["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 100);

        // The session's calls are one gateway session, priced in the usage ledger.
        var ledger = server.Services.GetRequiredService<IUsageLedger>();
        var sessionId = result["session"]!["id"]!.GetValue<string>();
        var calls = await ledger.ListSessionCallsAsync(sessionId, CancellationToken.None);
        Assert.Equal(ModelCallEntryPoints.ManagedAgents, Assert.Single(calls).EntryPoint);
    }
}
