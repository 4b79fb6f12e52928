using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>
/// Assistants using the reference MCP server <c>server-everything</c> (over stdio) through the <c>mcp</c> tool, driven
/// by the official OpenAI SDK against the real server, with the scripted model calling the tools.
/// </summary>
public sealed class McpRunTests
{
    [RequiresFact("node:mcp-servers")]
    public async Task AnAssistant_CallsMcpTools_AndEveryKindOfResultIsRecordedAndShownToTheModel()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(
                ("call_echo", "everything__echo", """{"message":"hello"}"""),
                ("call_sum", "everything__get-sum", """{"a":2,"b":3}"""),
                ("call_image", "everything__get-tiny-image", "{}"),
                ("call_structured", "everything__get-structured-content", """{"location":"New York"}"""),
                ("call_long", "everything__trigger-long-running-operation", """{"duration":1,"steps":2}"""),
                ("call_bad", "everything__get-sum", """{"a":"two"}""")),
            ScriptedTurn.Say("Done."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"never"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Try the tools." } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var offered = server.Upstream.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("everything__echo", offered);
        Assert.Contains("everything__get-tiny-image", offered);

        var calls = await McpServers.McpCallsAsync(server, run);
        Assert.Equal("Echo: hello", calls["call_echo"]["output"]!.GetValue<string>());
        Assert.Equal("echo", calls["call_echo"]["name"]!.GetValue<string>());
        Assert.Equal("everything", calls["call_echo"]["server_label"]!.GetValue<string>());
        Assert.Contains("5", calls["call_sum"]["output"]!.GetValue<string>(), StringComparison.Ordinal);

        var image = calls["call_image"]["content"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "image")!;
        Assert.Equal("image/png", image["mime_type"]!.GetValue<string>());
        Assert.StartsWith("file-", image["file_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(calls["call_structured"]["structured_content"]);
        // The server reports progress 1 then 2 of 2; the last may arrive after the result, so at least one is recorded.
        Assert.Equal(2, calls["call_long"]["progress"]!["total"]!.GetValue<double>());
        Assert.Contains("Long running operation completed", calls["call_long"]["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(calls["call_bad"]["is_error"]!.GetValue<bool>() || calls["call_bad"]["error"] is not null);

        // The second model call reads every result, and sees the image as an image.
        var second = server.Upstream.Requests.ElementAt(1)["messages"]!.ToJsonString();
        Assert.Contains("Echo: hello", second, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", second, StringComparison.Ordinal);
        using var file = await server.Http().GetAsync($"files/{image["file_id"]!.GetValue<string>()}/content");
        Assert.True(file.IsSuccessStatusCode);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AllowedTools_Filter_AndRequireApprovalAlways_PausesForApproveAndDeny()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_a", "everything__echo", """{"message":"approved"}"""), ("call_d", "everything__echo", """{"message":"denied"}""")),
            ScriptedTurn.Say("One ran, one was refused."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client,
            """{"type":"mcp","server_label":"everything","allowed_tools":["echo","get-sum"],"require_approval":"always"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Echo twice." } });
        run = await client.WaitAsync(run);

        var offered = server.Upstream.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["everything__echo", "everything__get-sum"], offered);
        Assert.True(run.Status == RunStatus.RequiresAction, run.LastError?.Message);
        Assert.Equal(2, run.RequiredActions.Count);
        Assert.All(run.RequiredActions, a => Assert.Equal("mcp_approval", a.FunctionName));
        var request = JsonNode.Parse(run.RequiredActions[0].FunctionArguments)!;
        Assert.Equal("everything", request["server"]!.GetValue<string>());
        Assert.Equal("echo", request["tool"]!.GetValue<string>());
        Assert.Equal("approved", request["arguments"]!["message"]!.GetValue<string>());

        run = await client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_a", "approve"), new ToolOutput("call_d", "deny: not this one")]);
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var calls = await McpServers.McpCallsAsync(server, run);
        Assert.Equal("Echo: approved", calls["call_a"]["output"]!.GetValue<string>());
        Assert.Equal("approved", calls["call_a"]["approval"]!.GetValue<string>());
        Assert.Equal("denied", calls["call_d"]["approval"]!.GetValue<string>());
        Assert.Contains("not this one", calls["call_d"]["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var last = server.Upstream.Requests.Last()["messages"]!.ToJsonString();
        Assert.Contains("Echo: approved", last, StringComparison.Ordinal);
        Assert.Contains("denied", last, StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AServerKilledMidRun_IsRestarted_AndTheRunGoesOn()
    {
        await using var server = await McpServers.StartAsync();
        var gate = new TaskCompletionSource();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_1", "everything__echo", """{"message":"first"}""")),
            ScriptedTurn.Call(("call_2", "everything__echo", """{"message":"second"}""")) with { Gate = gate },
            ScriptedTurn.Say("Both echoed."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"never"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Echo twice." } });
        await McpServers.WaitForAsync(() => server.Upstream.Requests.Count >= 2);
        var pid = McpServers.Pid(server);
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        // A call made while the server is already dead but not yet noticed fails (the model reads the error); wait until it is noticed.
        var servers = server.Services.GetRequiredService<AgentHost.Tools.Mcp.McpServers>();
        await McpServers.WaitForAsync(() => !servers.IsRunning("everything"));
        gate.SetResult();
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var calls = await McpServers.McpCallsAsync(server, run);
        Assert.True(calls["call_2"]["output"] is not null, calls["call_2"].ToJsonString());
        Assert.Equal("Echo: second", calls["call_2"]["output"]!.GetValue<string>());
        Assert.NotEqual(pid, McpServers.Pid(server));
    }

    [RequiresFact("node:mcp-servers")]
    public async Task GetEnv_ShowsNoneOfAgentHostsEnvironment()
    {
        Environment.SetEnvironmentVariable("OPENAI_API_KEY_FOR_MCP_TEST", "sk-never-leaks");
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_env", "everything__get-env", "{}")), ScriptedTurn.Say("Printed."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"never"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Env?" } });
        run = await client.WaitAsync(run);

        var output = (await McpServers.McpCallsAsync(server, run))["call_env"]["output"]!.GetValue<string>();
        var env = JsonNode.Parse(output)!.AsObject();
        Assert.DoesNotContain("sk-never-leaks", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-scripted", output, StringComparison.Ordinal);
        Assert.Equal("from-config", env["MCP_TEST_SETTING"]!.GetValue<string>());
        // PWD comes from the test's sh wrapper, not from AgentHost.
        Assert.Equal(["HOME", "MCP_TEST_SETTING", "PATH"], env.Select(p => p.Key).Where(k => k != "PWD").Order(StringComparer.Ordinal).ToList());
    }

    [RequiresFact("node:mcp-servers")]
    public async Task SamplingRequests_AreAnsweredByAgentHostsModel()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_sample", "everything__trigger-sampling-request", """{"prompt":"Name a colour.","maxTokens":20}""")),
            ScriptedTurn.Say("Teal, from the sampled model."),
            ScriptedTurn.Say("The server heard teal."));
        var client = server.Assistants();
        var assistantId = await McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","require_approval":"never"}""");

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Sample." } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var output = (await McpServers.McpCallsAsync(server, run))["call_sample"]["output"]!.GetValue<string>();
        Assert.Contains("Teal, from the sampled model.", output, StringComparison.Ordinal);
        var sampling = server.Upstream.Requests.ElementAt(1);
        Assert.Contains("Name a colour.", sampling["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AnUnknownLabel_OrAnUnallowedUrl_IsRefusedWith400()
    {
        await using var server = await McpServers.StartAsync();
        var client = server.Assistants();

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"nope"}"""));
        var remote = await Assert.ThrowsAsync<ClientResultException>(() =>
            McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"remote","server_url":"https://mcp.example.com/mcp"}"""));
        var mismatch = await Assert.ThrowsAsync<ClientResultException>(() =>
            McpServers.CreateAssistantAsync(client, """{"type":"mcp","server_label":"everything","server_url":"https://mcp.example.com/mcp"}"""));

        Assert.Equal(400, unknown.Status);
        Assert.Contains("tools[0].server_label", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(400, remote.Status);
        Assert.Contains("AllowedUrls", remote.Message, StringComparison.Ordinal);
        Assert.Equal(400, mismatch.Status);
    }
}
