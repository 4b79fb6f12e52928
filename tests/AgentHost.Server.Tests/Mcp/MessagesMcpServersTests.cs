using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Anthropic.Models.Beta.Messages;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>
/// <c>mcp_servers</c> on <c>/v1/messages</c> (the MCP connector) against the reference server <c>server-everything</c>:
/// AgentHost runs the tool loop and answers with <c>mcp_tool_use</c> / <c>mcp_tool_result</c> blocks, read back with
/// the official Anthropic SDK's beta message type.
/// </summary>
public sealed class MessagesMcpServersTests
{
    private const string Request = """
        {"model":"MODEL","max_tokens":200,"stream":STREAM,
         "messages":[{"role":"user","content":"Echo hi, then add 2 and 3."}],
         "mcp_servers":[{"type":"url","url":"https://mcp.invalid/everything","name":"everything"}],
         "tools":[{"type":"mcp_toolset","mcp_server_name":"everything","default_config":{"enabled":false},
                   "configs":{"echo":{"enabled":true},"get-sum":{"enabled":true}}}]}
        """;

    [RequiresTheory("node:mcp-servers")]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task TheModelsMcpCalls_AreRunByAgentHost_AndAnsweredAsMcpBlocks(string model)
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_echo", "everything__echo", """{"message":"hi"}"""), ("toolu_bad", "everything__get-sum", """{"a":"two"}""")) with { PromptTokens = 100, CompletionTokens = 10 },
            ScriptedTurn.Say("It said hi; the sum failed.") with { PromptTokens = 200, CompletionTokens = 20 });
        using var http = server.Http();

        var response = await http.PostAsync("messages", JsonBody.Of(Request.Replace("MODEL", model, StringComparison.Ordinal).Replace("STREAM", "false", StringComparison.Ordinal)));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var offered = Tools(server.Upstream.Requests.First(), model);
        Assert.Equal(["everything__echo", "everything__get-sum"], offered.Order(StringComparer.Ordinal));

        var message = JsonSerializer.Deserialize<BetaMessage>(text)!;
        Assert.Equal(5, message.Content.Count);
        Assert.True(message.Content[0].TryPickMcpToolUse(out var echo));
        Assert.Equal("echo", echo!.Name);
        Assert.Equal("everything", echo.ServerName);
        Assert.Equal("toolu_echo", echo.ID);
        Assert.Equal("hi", echo.Input["message"].GetString());
        Assert.True(message.Content[1].TryPickMcpToolUse(out var sum));
        Assert.Equal("get-sum", sum!.Name);
        Assert.True(message.Content[2].TryPickMcpToolResult(out var echoed));
        Assert.Equal("toolu_echo", echoed!.ToolUseID);
        Assert.False(echoed.IsError);
        Assert.Contains("Echo: hi", JsonSerializer.Serialize(echoed.Content), StringComparison.Ordinal);
        Assert.True(message.Content[3].TryPickMcpToolResult(out var failed));
        Assert.True(failed!.IsError);
        Assert.True(message.Content[4].TryPickText(out var answer));
        Assert.Equal("It said hi; the sum failed.", answer!.Text);
        Assert.Equal("end_turn", JsonNode.Parse(text)!["stop_reason"]!.GetValue<string>());
        Assert.Equal(30, JsonNode.Parse(text)!["usage"]!["output_tokens"]!.GetValue<int>());

        // The second model call read both results.
        var second = server.Upstream.Requests.ElementAt(1)["messages"]!.ToJsonString();
        Assert.Contains("Echo: hi", second, StringComparison.Ordinal);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task TheAnswerSentBack_IsReadAsTheCallsAndResultsTheModelSaw()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Again: hi."));
        using var http = server.Http();
        var body = JsonNode.Parse(Request.Replace("MODEL", CompatClients.Claude, StringComparison.Ordinal).Replace("STREAM", "false", StringComparison.Ordinal))!;
        body["messages"]!.AsArray().Add(JsonNode.Parse("""
            {"role":"assistant","content":[
              {"type":"text","text":"Calling."},
              {"type":"mcp_tool_use","id":"toolu_1","name":"echo","server_name":"everything","input":{"message":"hi"}},
              {"type":"mcp_tool_result","tool_use_id":"toolu_1","is_error":false,"content":[{"type":"text","text":"Echo: hi"}]},
              {"type":"text","text":"It said hi."}]}
            """));
        body["messages"]!.AsArray().Add(JsonNode.Parse("""{"role":"user","content":"And again?"}"""));

        var response = await http.PostAsync("messages", JsonBody.Of(body.ToJsonString()));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var messages = server.Upstream.Requests.Single()["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("tool_use", messages[1]!["content"]![1]!["type"]!.GetValue<string>());
        Assert.Equal("everything__echo", messages[1]!["content"]![1]!["name"]!.GetValue<string>());
        Assert.Equal("tool_result", messages[2]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("toolu_1", messages[2]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
    }

    [RequiresTheory("node:mcp-servers")]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task Streamed_TheMcpBlocksComeBetweenTheModelsTurns_InOneMessage(string model)
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_sum", "everything__get-sum", """{"a":2,"b":3}""")) with { PromptTokens = 100, CompletionTokens = 10 },
            ScriptedTurn.Say("The sum is 5.") with { PromptTokens = 200, CompletionTokens = 20 });
        using var http = server.Http();

        var response = await http.PostAsync("messages", JsonBody.Of(Request.Replace("MODEL", model, StringComparison.Ordinal).Replace("STREAM", "true", StringComparison.Ordinal)));

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(events, e => e.Name == "message_start");
        Assert.Equal("message_stop", events[^1].Name);
        var starts = events.Where(e => e.Name == "content_block_start").Select(e => e.Data["content_block"]!).ToList();
        Assert.Equal(["mcp_tool_use", "mcp_tool_result", "text"], starts.Select(b => b["type"]!.GetValue<string>()));
        Assert.Equal("get-sum", starts[0]["name"]!.GetValue<string>());
        Assert.Equal("everything", starts[0]["server_name"]!.GetValue<string>());
        Assert.Equal("toolu_sum", starts[1]["tool_use_id"]!.GetValue<string>());
        Assert.Contains("5", starts[1]["content"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var input = string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Data["index"]!.GetValue<int>() == 0)
            .Select(e => e.Data["delta"]!["partial_json"]!.GetValue<string>()));
        Assert.Equal(2, JsonNode.Parse(input)!["a"]!.GetValue<int>());
        Assert.Equal(3, JsonNode.Parse(input)!["b"]!.GetValue<int>());
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Data["delta"]!["type"]!.GetValue<string>() == "text_delta")
            .Select(e => e.Data["delta"]!["text"]!.GetValue<string>()));
        Assert.Equal("The sum is 5.", text);
        var delta = events.Single(e => e.Name == "message_delta").Data;
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(30, delta["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal(starts.Count, events.Count(e => e.Name == "content_block_stop"));
    }

    [RequiresFact("node:mcp-servers")]
    public async Task ServersARequestMayNotUse_AreRefusedWith400NamingTheField()
    {
        await using var server = await McpServers.StartAsync();
        using var http = server.Http();

        var remote = await ErrorAsync(http, """" "mcp_servers":[{"type":"url","url":"https://mcp.example.com/mcp","name":"remote"}]"""");
        var token = await ErrorAsync(http, """" "mcp_servers":[{"type":"url","url":"https://x.invalid/","name":"everything","authorization_token":"t"}]"""");
        var toolset = await ErrorAsync(http, """" "mcp_servers":[{"type":"url","url":"https://x.invalid/","name":"everything"}],"tools":[{"type":"mcp_toolset","mcp_server_name":"other"}]"""");
        var duplicate = await ErrorAsync(http, """" "mcp_servers":[{"type":"url","url":"https://x.invalid/","name":"everything"},{"type":"url","url":"https://x.invalid/","name":"everything"}]"""");

        Assert.StartsWith("mcp_servers.0.url:", remote, StringComparison.Ordinal);
        Assert.Contains("AllowedUrls", remote, StringComparison.Ordinal);
        Assert.StartsWith("mcp_servers.0.authorization_token:", token, StringComparison.Ordinal);
        Assert.StartsWith("tools.0.mcp_server_name:", toolset, StringComparison.Ordinal);
        Assert.StartsWith("mcp_servers.1.name:", duplicate, StringComparison.Ordinal);
        Assert.Empty(server.Upstream.Requests);
    }

    private static async Task<string> ErrorAsync(HttpClient http, string fields)
    {
        var response = await http.PostAsync("messages", JsonBody.Of($$"""{"model":"gpt-4o","max_tokens":10,{{fields}},"messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>();
    }

    /// <summary>The tool names a model request offered, in either vendor's wire shape.</summary>
    private static List<string> Tools(JsonNode request, string model) => [.. request["tools"]!.AsArray()
        .Select(t => model == CompatClients.Gpt ? t!["function"]!["name"]!.GetValue<string>() : t!["name"]!.GetValue<string>())];

    private static List<(string Name, JsonNode Data)> Events(string stream) => [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
        .Select(block => block.Split('\n'))
        .Where(lines => lines.Any(l => l.StartsWith("event: ", StringComparison.Ordinal)))
        .Select(lines => (lines.First(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..],
            JsonNode.Parse(lines.First(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..])!))];
}
