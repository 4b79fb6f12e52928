using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>MCP calls of Assistants runs when servers fail or AgentHost restarts, and their streamed step deltas.</summary>
public sealed class McpRunResilienceTests
{
    [RequiresFact("node:mcp-servers")]
    public async Task AServerThatNeverStarts_IsAnErrorTheModelSees_AndTheRunGoesOn()
    {
        await using var server = await McpServers.StartAsync(new()
        {
            ["AgentHost:Mcp:Servers:broken:Command"] = "sh",
            ["AgentHost:Mcp:Servers:broken:Args:0"] = "-c",
            ["AgentHost:Mcp:Servers:broken:Args:1"] = "echo failing on purpose >&2; exit 3",
        });
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_x", "broken__unavailable", "{}")), ScriptedTurn.Say("The server is down."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"broken","require_approval":"always"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Use the server." } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var offered = Assert.Single(server.Upstream.Requests.First()["tools"]!.AsArray())!["function"]!;
        Assert.Equal("broken__unavailable", offered["name"]!.GetValue<string>());
        Assert.Contains("is unavailable", offered["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var call = (await McpServers.McpCallsAsync(server, run))["call_x"];
        Assert.Contains("could not be started", call["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("could not be started", server.Upstream.Requests.Last()["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AServerPastItsRestartLimit_KeepsItsToolsOffered_AndEachCallIsAnErrorTheModelSees()
    {
        await using var server = await McpServers.StartAsync(new() { ["AgentHost:Mcp:MaxRestarts"] = "0" });
        var gate = new TaskCompletionSource();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_1", "everything__echo", """{"message":"first"}""")),
            ScriptedTurn.Call(("call_2", "everything__echo", """{"message":"second"}""")) with { Gate = gate },
            ScriptedTurn.Say("The second echo failed."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"never"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Echo twice." } });
        await McpServers.WaitForAsync(() => server.Upstream.Requests.Count >= 2);
        using (var process = System.Diagnostics.Process.GetProcessById(McpServers.Pid(server)))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var servers = server.Services.GetRequiredService<AgentHost.Tools.Mcp.McpServers>();
        await McpServers.WaitForAsync(() => !servers.IsRunning("everything"));
        gate.SetResult();
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var calls = await McpServers.McpCallsAsync(server, run);
        Assert.Equal("Echo: first", calls["call_1"]["output"]!.GetValue<string>());
        Assert.Contains("is not restarted until", calls["call_2"]["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var last = server.Upstream.Requests.Last();
        Assert.Contains("everything__echo", last["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()));
        Assert.Contains("is not restarted until", last["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AnApprovalPending_WhenAgentHostRestarts_IsAnsweredAndRunByTheNewProcess()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-mcp-restart-").FullName;
        string threadId, runId;
        await using (var first = await McpServers.StartAsync(new() { ["AgentHost:DataDir"] = dataDir }))
        {
            first.Upstream.Enqueue(ScriptedTurn.Call(("call_a", "everything__echo", """{"message":"after restart"}""")));
            var client = first.Assistants();
            var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"always"}""");
            ThreadRun paused = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Echo." } });
            paused = await client.WaitAsync(paused);
            Assert.True(paused.Status == RunStatus.RequiresAction, paused.LastError?.Message);
            (threadId, runId) = (paused.ThreadId, paused.Id);
        }

        await using var second = await McpServers.StartAsync(new() { ["AgentHost:DataDir"] = dataDir });
        second.Upstream.Enqueue(ScriptedTurn.Say("Echoed after the restart."));
        var again = second.Assistants();
        ThreadRun run = await again.GetRunAsync(threadId, runId);
        Assert.Equal(RunStatus.RequiresAction, run.Status);
        Assert.Equal("mcp_approval", Assert.Single(run.RequiredActions).FunctionName);

        run = await again.SubmitToolOutputsToRunAsync(threadId, runId, [new ToolOutput("call_a", "approve")]);
        run = await again.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var call = (await McpServers.McpCallsAsync(second, run))["call_a"];
        Assert.Equal("Echo: after restart", call["output"]!.GetValue<string>());
        Assert.Equal("approved", call["approval"]!.GetValue<string>());
        Assert.Contains("Echo: after restart", Assert.Single(second.Upstream.Requests)["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AStreamedRun_SendsStepDeltasForAnMcpCall_ArgumentsServerProgressAndOutput()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_long", "everything__trigger-long-running-operation", """{"duration":1,"steps":2}""")),
            ScriptedTurn.Say("Done."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"never"}""");
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "threads/runs")
        {
            Content = JsonBody.Of($$$"""{"assistant_id":"{{{assistantId}}}","stream":true,"thread":{"messages":[{"role":"user","content":"Run it."}]}}"""),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        using var response = await http.SendAsync(request);
        var stream = await response.Content.ReadAsStringAsync();

        var deltas = stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("event: thread.run.step.delta\n", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e[(e.IndexOf("data: ", StringComparison.Ordinal) + 6)..])!["delta"]!["step_details"]!["tool_calls"]![0]!)
            .Where(c => c["type"]!.GetValue<string>() == "mcp")
            .Select(c => c["mcp"]!)
            .ToList();
        Assert.True(deltas.Count >= 5, stream);
        Assert.Equal(string.Empty, deltas[0]["arguments"]!.GetValue<string>());
        Assert.Contains("\"steps\":2", deltas[1]["arguments"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("everything", deltas[2]["server_label"]!.GetValue<string>());
        Assert.Equal("trigger-long-running-operation", deltas[2]["name"]!.GetValue<string>());
        Assert.Contains(deltas, d => d["progress"]?["total"]?.GetValue<double>() == 2);
        Assert.Contains("Long running operation completed", deltas[^1]["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(deltas[^1]["is_error"]!.GetValue<bool>());
        Assert.Contains("event: thread.run.completed", stream, StringComparison.Ordinal);

        // The call's span in the trace carries its share of the cost of the model call that asked for it (here all of it).
        var completed = stream.Split("\n\n").Single(e => e.StartsWith("event: thread.run.completed\n", StringComparison.Ordinal));
        var run = JsonNode.Parse(completed[(completed.IndexOf("data: ", StringComparison.Ordinal) + 6)..])!;
        var spans = JsonNode.Parse(await http.GetStringAsync($"threads/{run["thread_id"]}/runs/{run["id"]}/trace"))!["spans"]!.AsArray();
        var asked = spans.First(s => s!["kind"]!.GetValue<string>() == "model_call")!;
        var tool = spans.Single(s => s!["kind"]!.GetValue<string>() == "tool_call")!;
        Assert.Equal("mcp:everything__trigger-long-running-operation", tool["tool_type"]!.GetValue<string>());
        Assert.True(asked["cost"]!["total_usd"]!.GetValue<decimal>() > 0);
        Assert.Equal(asked["cost"]!["total_usd"]!.GetValue<decimal>(), tool["cost"]!["total_usd"]!.GetValue<decimal>());
    }
}
