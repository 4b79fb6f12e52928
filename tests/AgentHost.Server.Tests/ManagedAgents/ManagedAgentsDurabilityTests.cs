using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>A session survives a restart: the turn running when the process died is rescheduled and finishes after it.</summary>
public sealed class ManagedAgentsDurabilityTests
{
    [RequiresFact("node:anthropic-sdk")]
    public async Task ServerKilledMidTurn_TheTurnIsRescheduledAndFinishes_AndTheLogSaysSo()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource();
        upstream.Enqueue(new ScriptedTurn { Text = "lost with the process", Gate = gate }, ScriptedTurn.Say("Answer after restart."));
        var dataDir = Directory.CreateTempSubdirectory("agenthost-sessions-kill-").FullName;
        var port = ServerProcess.FreePort();
        string[] settings = [$"--AgentHost:Providers:OpenAI:BaseUrl={upstream.BaseUrl}", "--AgentHost:Providers:Retry:MaxAttempts=1",
            "--AgentHost:Runs:LeaseDuration=00:00:01", "--AgentHost:Runs:SweepInterval=00:00:00.200"];
        var baseUrl = $"http://127.0.0.1:{port}";
        string sessionId;
        using (var first = await ServerProcess.StartAsync(port, dataDir, settings))
        {
            var started = await ManagedAgentsSdk.RunAsync(baseUrl, "start", new JsonObject { ["model"] = CompatClients.Gpt });
            sessionId = started["session"]!.GetValue<string>();
            await Eventually.TrueAsync(() => upstream.Requests.Count == 1, "the turn's model call to start");
            await first.KillAsync();
        }

        gate.TrySetCanceled();
        using var second = await ServerProcess.StartAsync(port, dataDir, settings);
        var result = await ManagedAgentsSdk.RunAsync(baseUrl, "finish", new JsonObject { ["session"] = sessionId });

        var listed = result["listed"]!.AsArray();
        Assert.Equal(
            ["user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "session.status_rescheduled", "session.status_running",
             "span.model_request_start", "span.model_request_end", "agent.message", "session.status_idle"],
            ManagedAgentsSdk.Types(listed));
        Assert.True(listed[3]!["is_error"]!.GetValue<bool>());
        Assert.Equal("Answer after restart.", listed[^2]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", listed[^1]!["stop"]!.GetValue<string>());
        Assert.Equal("idle", result["session"]!["status"]!.GetValue<string>());
        Assert.Equal(2, upstream.Requests.Count);

        // The resumed call carried the user's message, read back from the session's log.
        Assert.Contains("Work through a restart.", upstream.Requests.ToList()[1].ToJsonString());
    }
}
