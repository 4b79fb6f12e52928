using System.Text.Json.Nodes;
using AgentHost.Core.Storage;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// A turn paused for the client (<c>requires_action</c>) waits for it as long as it takes, as Claude Managed Agents'
/// sessions do: past <c>AgentHost:Runs:RequiresActionTimeout</c> it does not expire, across a restart it still waits,
/// and the answer sent to the restarted AgentHost continues the turn.
/// </summary>
public sealed class ManagedAgentsPausedTurnTests
{
    [RequiresFact("node:anthropic-sdk")]
    public async Task APausedTurn_OutlivesTheActionTimeoutAndARestart_AndTheLaterAnswerContinuesIt()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-paused-").FullName;
        string sessionId, useId;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var before = await AgentHostServer.StartAsync(b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
            new() { ["AgentHost:DataDir"] = dataDir }))
        {
            before.Upstream.Enqueue(ScriptedTurn.Call(("call_lookup", "lookup", """{"q":"France"}""")));
            var paused = await ManagedAgentsSdk.RunAsync(before, "pause", new JsonObject { ["model"] = CompatClients.Gpt });
            Assert.Equal("requires_action", paused["stop"]!.GetValue<string>());
            sessionId = paused["session"]!.GetValue<string>();
            useId = paused["waiting"]![0]!.GetValue<string>();

            // An hour on: the paused turn is not among the runs the sweep expires, and reading it does not expire it.
            clock.Advance(TimeSpan.FromHours(1));
            var store = before.Services.GetRequiredService<IAgentStore>();
            Assert.Empty(await store.FindExpiredRunsAsync(clock.GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None));
            using var http = before.Http();
            http.DefaultRequestHeaders.Add("anthropic-beta", "managed-agents-2026-04-01");
            var session = JsonNode.Parse(await http.GetStringAsync($"sessions/{sessionId}"))!;
            Assert.Equal("idle", session["status"]!.GetValue<string>());
            var runs = JsonNode.Parse(await http.GetStringAsync($"sessions/{sessionId}/events"))!["data"]!.AsArray();
            Assert.DoesNotContain("session.error", ManagedAgentsSdk.Types(runs));
        }

        await using var after = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:DataDir"] = dataDir });
        after.Upstream.Enqueue(ScriptedTurn.Say("The capital of France is Paris."));
        var answered = await ManagedAgentsSdk.RunAsync(after, "answer", new JsonObject { ["session"] = sessionId, ["use"] = useId });

        Assert.Equal("idle", answered["before"]!.GetValue<string>());
        var streamed = answered["streamed"]!.AsArray();
        Assert.Equal(["user.custom_tool_result", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.message", "session.status_idle"],
            ManagedAgentsSdk.Types(streamed));
        Assert.Equal("end_turn", streamed[^1]!["stop"]!.GetValue<string>());
        Assert.DoesNotContain("session.error", ManagedAgentsSdk.Types(answered["listed"]));
        Assert.Contains("Paris", after.Upstream.Requests.Single().ToJsonString());
        Assert.Equal("idle", answered["session"]!["status"]!.GetValue<string>());
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file on some runs; the temp folder is the OS's to clean.
        }
    }
}
