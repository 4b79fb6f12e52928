using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Mcp;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// An agent with an MCP server (the reference <c>server-everything</c> over streamable HTTP): the session's model calls
/// its tools, <c>agent.mcp_tool_use</c> / <c>agent.mcp_tool_result</c> are logged, and the toolset's permission policies
/// apply — <c>always_ask</c> by default (allowed, then denied), <c>always_allow</c> where configured.
/// </summary>
public sealed class ManagedAgentsMcpTests
{
    [RequiresTheory("node:anthropic-sdk", "node:mcp-servers")]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task AnAgentsMcpServer_IsCalledThroughTheSession_AskingFirstUnlessItsToolIsAllowed(string model)
    {
        await using var node = await McpHttpServer.StartAsync();
        await using var server = await McpServers.StartAsync(new() { ["AgentHost:Mcp:Servers:remote:Url"] = node.Url });
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_echo", "remote__echo", """{"message":"hi"}""")),
            ScriptedTurn.Say("It echoed."),
            ScriptedTurn.Call(("call_secret", "remote__echo", """{"message":"secrets"}""")),
            ScriptedTurn.Say("I will not."),
            ScriptedTurn.Call(("call_sum", "remote__get-sum", """{"a":2,"b":3}""")),
            ScriptedTurn.Say("It is 5."));

        var result = await ManagedAgentsSdk.RunAsync(server, "mcp", new JsonObject { ["model"] = model, ["url"] = node.Url });

        // Asked: the turn pauses on the use, and runs the call once allowed.
        var asked = result["asked"]!.AsArray();
        Assert.Equal(
            ["user.message", "session.status_running", "span.model_request_start", "span.model_request_end", "agent.mcp_tool_use", "session.status_idle",
             "user.tool_confirmation", "session.status_running", "agent.mcp_tool_result", "span.model_request_start", "span.model_request_end", "agent.message", "session.status_idle"],
            ManagedAgentsSdk.Types(asked));
        var use = asked.Single(e => e!["type"]!.GetValue<string>() == "agent.mcp_tool_use")!;
        Assert.Equal(("echo", "ask"), (use["name"]!.GetValue<string>(), use["evaluated_permission"]!.GetValue<string>()));
        Assert.Equal([use["id"]!.GetValue<string>()], asked[5]!["event_ids"]!.AsArray().Select(i => i!.GetValue<string>()));
        var echoed = asked.Single(e => e!["type"]!.GetValue<string>() == "agent.mcp_tool_result")!;
        Assert.Equal(use["id"]!.GetValue<string>(), echoed["tool_use_id"]!.GetValue<string>());
        Assert.Equal("Echo: hi", echoed["content"]![0]!["text"]!.GetValue<string>());

        // Denied: the call is not made, and the model reads the reason.
        var denied = result["denied"]!.AsArray();
        Assert.Contains("agent.mcp_tool_use", ManagedAgentsSdk.Types(denied));
        Assert.DoesNotContain("agent.mcp_tool_result", ManagedAgentsSdk.Types(denied));
        Assert.Equal("end_turn", denied[^1]!["stop"]!.GetValue<string>());
        var requests = server.Upstream.Requests.Select(r => r.ToJsonString()).ToList();
        Assert.Contains("Not that.", requests[3]);
        Assert.DoesNotContain("Echo: secrets", string.Concat(requests));

        // Allowed by its config: no pause.
        var unasked = result["unasked"]!.AsArray();
        Assert.DoesNotContain("requires_action", unasked.Select(e => e!["stop"]?.GetValue<string>()));
        var sum = unasked.Single(e => e!["type"]!.GetValue<string>() == "agent.mcp_tool_result")!;
        Assert.Contains("5", sum["content"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("allow", unasked.Single(e => e!["type"]!.GetValue<string>() == "agent.mcp_tool_use")!["evaluated_permission"]!.GetValue<string>());

        // The SDK's fields: the server and the tool named apart; the later turns' calls carried the earlier MCP calls.
        var raw = result["raw"]!.AsArray();
        Assert.All(raw.Where(e => e!["type"]!.GetValue<string>() == "agent.mcp_tool_use"), e => Assert.Equal("remote", e!["mcp_server_name"]!.GetValue<string>()));
        Assert.Contains("remote__echo", requests[4]);
        Assert.Contains("Echo: hi", requests[4]);
        Assert.Equal(6, requests.Count);
    }
}
