using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// A session whose history nears the context limit is compacted: the older turns are summarised by a model call of the
/// turn, later calls carry the summary instead of those turns, and <c>agent.thread_context_compacted</c> is streamed and listed.
/// </summary>
public sealed class ManagedAgentsCompactionTests
{
    [RequiresTheory("node:anthropic-sdk")]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task AHistoryPastTheLimit_IsSummarised_AndLaterCallsCarryTheSummaryInsteadOfTheOldTurns(string model)
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ManagedAgents:CompactAtTokens"] = "150" });
        server.Upstream.Enqueue(
            ScriptedTurn.Say("Noted the first."),
            ScriptedTurn.Say("SUMMARY-ONE: the user spoke of alpha."),
            ScriptedTurn.Say("Noted the second."),
            ScriptedTurn.Say("SUMMARY-TWO: alpha, then bravo."),
            ScriptedTurn.Say("Noted the third."));
        string Long(string word) => string.Join(' ', Enumerable.Repeat(word, 100));

        var result = await ManagedAgentsSdk.RunAsync(server, "compact", new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(Long("alpha"), Long("bravo"), Long("charlie")),
        });

        // The first turn has nothing older to compact; each later one summarises what came before it, then calls the model.
        var turns = result["turns"]!.AsArray();
        Assert.DoesNotContain("agent.thread_context_compacted", ManagedAgentsSdk.Types(turns[0]));
        foreach (var turn in turns.Skip(1))
        {
            var types = ManagedAgentsSdk.Types(turn);
            Assert.Equal(["user.message", "session.status_running", "agent.thread_context_compacted", "span.model_request_start", "span.model_request_end",
                "agent.message", "session.status_idle"], types);
        }

        var requests = server.Upstream.Requests.Select(r => r.ToJsonString()).ToList();
        Assert.Equal(5, requests.Count);
        Assert.Contains("alpha alpha", requests[1]);
        Assert.Contains("Summarise it for your own later use", requests[1]);
        Assert.DoesNotContain("bravo", requests[1]);
        Assert.Contains("SUMMARY-ONE", requests[2]);
        Assert.Contains("bravo bravo", requests[2]);
        Assert.DoesNotContain("alpha alpha", requests[2]);
        Assert.Contains("SUMMARY-ONE", requests[3]);
        Assert.Contains("bravo bravo", requests[3]);
        Assert.Contains("SUMMARY-TWO", requests[4]);
        Assert.Contains("charlie charlie", requests[4]);
        Assert.DoesNotContain("bravo bravo", requests[4]);
        Assert.DoesNotContain("SUMMARY-ONE", requests[4]);

        // Listed with the SDK's fields only; the summary calls are the session's model calls, traced and priced.
        var listed = result["listed"]!.AsArray();
        Assert.Equal(2, ManagedAgentsSdk.Types(listed).Count(t => t == "agent.thread_context_compacted"));
        Assert.All(result["compacted"]!.AsArray(), keys => Assert.Equal(["id", "processed_at", "type"], keys!.AsArray().Select(k => k!.GetValue<string>())));
        var sessionId = result["session"]!["id"]!.GetValue<string>();
        using var http = server.Http();
        var calls = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{sessionId}"))!["calls"]!.AsArray();
        Assert.Equal(5, calls.Count);
        Assert.All(calls, c => Assert.True(c!["cost"]!["total_usd"]!.GetValue<decimal>() > 0m));
    }
}
