using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// <c>event_deltas</c> on the stream: previews (<c>event_start</c>, <c>event_delta</c>) of the agent's thinking and
/// message while the model produces them, reconciled by the final event's id, only on the stream that asked for them,
/// and never in the listed history.
/// </summary>
public sealed class ManagedAgentsDeltaTests
{
    [RequiresFact("node:anthropic-sdk")]
    public async Task AStreamAskingForDeltas_PreviewsTheThinkingAndTheMessage_OthersAndTheHistoryDoNot()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Three little words, and more.") with { Thinking = "Let me think." });

        var result = await ManagedAgentsSdk.RunAsync(server, "deltas", new JsonObject
        {
            ["model"] = CompatClients.Claude,
            ["deltas"] = new JsonArray("agent.message", "agent.thinking"),
        });

        var events = result["withDeltas"]!.AsArray().Select(e => e!).ToList();
        var types = events.Select(e => e["type"]!.GetValue<string>()).ToList();
        var thinking = events.Single(e => e["type"]!.GetValue<string>() == "agent.thinking");
        var message = events.Single(e => e["type"]!.GetValue<string>() == "agent.message");
        var starts = events.Where(e => e["type"]!.GetValue<string>() == "event_start").ToList();

        // The thinking's preview is start-only and comes just before it; the message's comes first, then its fragments.
        Assert.Equal(2, starts.Count);
        Assert.Equal(("agent.thinking", thinking["id"]!.GetValue<string>()), (starts[0]["event"]!["type"]!.GetValue<string>(), starts[0]["event"]!["id"]!.GetValue<string>()));
        Assert.Equal(("agent.message", message["id"]!.GetValue<string>()), (starts[1]["event"]!["type"]!.GetValue<string>(), starts[1]["event"]!["id"]!.GetValue<string>()));
        Assert.True(types.IndexOf("span.model_request_start") < events.IndexOf(starts[0]), string.Join(",", types));
        Assert.True(events.IndexOf(starts[0]) < events.IndexOf(thinking));
        var fragments = events.Where(e => e["type"]!.GetValue<string>() == "event_delta").ToList();
        Assert.True(fragments.Count > 1);
        Assert.All(fragments, f => Assert.Equal(message["id"]!.GetValue<string>(), f["event_id"]!.GetValue<string>()));
        Assert.All(fragments, f => Assert.Equal("content_delta", f["delta"]!["type"]!.GetValue<string>()));
        Assert.True(events.IndexOf(starts[1]) < events.IndexOf(fragments[0]) && events.IndexOf(fragments[^1]) < events.IndexOf(message));
        Assert.Equal("Three little words, and more.", string.Concat(fragments.Select(f => f["delta"]!["content"]!["text"]!.GetValue<string>())));
        Assert.Equal("Three little words, and more.", message["content"]![0]!["text"]!.GetValue<string>());

        // The stream that did not ask, and the history, have the events only.
        var plain = result["without"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Equal(types.Where(t => t is not ("event_start" or "event_delta")), plain);
        var listed = result["listed"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.DoesNotContain("event_start", listed);
        Assert.DoesNotContain("event_delta", listed);

        var unknown = result["unknown"]!;
        Assert.Equal((400, "invalid_request_error"), (unknown["status"]!.GetValue<int>(), unknown["type"]!.GetValue<string>()));
        Assert.Contains("event_deltas", unknown["message"]!.GetValue<string>());
    }
}
