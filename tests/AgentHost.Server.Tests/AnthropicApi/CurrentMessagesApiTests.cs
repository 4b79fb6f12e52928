using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>
/// The fields today's Messages API (and the Claude Agent SDK) send: accepted on every model, translated where an
/// equivalent exists, otherwise dropped and listed in the call's trace; fields whose loss would change the meaning
/// are refused by name.
/// </summary>
public sealed class CurrentMessagesApiTests
{
    private const string AgentSdkShaped =
        """
        {"model":"MODEL","max_tokens":32000,"stream":STREAM,
         "thinking":{"type":"adaptive","display":"updates"},
         "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
         "output_config":{"effort":"high","format":{"type":"json_schema","schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}}},
         "metadata":{"user_id":"{\"device_id\":\"d1\",\"account_uuid\":\"\",\"session_id\":\"SESSION\"}"},
         "system":[{"type":"text","text":"You are Claude Code."},{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"Read","description":"Reads a file","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]},"defer_loading":false}],
         "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]}
        """;

    [Theory]
    [InlineData(CompatClients.Claude, false)]
    [InlineData(CompatClients.Gpt, false)]
    [InlineData(CompatClients.Gpt, true)]
    public async Task AgentSdkShapedRequest_OnEachProvider_IsAnswered_AndTheDroppedFieldsAreInTheTrace(string model, bool stream)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("""{"answer":"hello"}"""));
        using var http = server.Http();
        var session = $"sdk-{model}-{stream}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "messages?beta=true")
        {
            Content = JsonBody.Of(AgentSdkShaped.Replace("MODEL", model, StringComparison.Ordinal).Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal)
                .Replace("SESSION", session, StringComparison.Ordinal)),
        };
        request.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27");

        var response = await http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("hello", text, StringComparison.Ordinal);
        Assert.Equal(session, response.Headers.GetValues("x-agenthost-session").Single());
        var sent = server.Upstream.Requests.Single();
        if (model == CompatClients.Gpt)
        {
            Assert.Equal("json_schema", sent["response_format"]!["type"]!.GetValue<string>());
            Assert.Null(sent["context_management"]);
        }

        var trace = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{session}/trace"))!;
        var dropped = trace["spans"]![0]!["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "dropped_field")
            .Select(e => e!["reason"]!.GetValue<string>().Split(':')[0]).ToList();
        Assert.Equal(["context_management", "thinking.display", "tools[].defer_loading"], dropped.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task CountTokens_AcceptsTheFieldsTheAgentSdkSends_OnEachProvider(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var body = AgentSdkShaped.Replace("MODEL", model, StringComparison.Ordinal).Replace("SESSION", "count", StringComparison.Ordinal)
            .Replace("\"max_tokens\":32000,\"stream\":STREAM,", "\"cache_control\":{\"type\":\"ephemeral\"},\"speed\":\"standard\",", StringComparison.Ordinal);
        var parsed = JsonNode.Parse(body)!.AsObject();
        parsed.Remove("metadata");

        using var request = new HttpRequestMessage(HttpMethod.Post, "messages/count_tokens?beta=true") { Content = JsonBody.Of(parsed.ToJsonString()) };
        request.Headers.Add("anthropic-beta", "claude-code-20250219,context-management-2025-06-27,token-counting-2024-11-01");
        var response = await http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var tokens = JsonNode.Parse(text)!["input_tokens"]!.GetValue<int>();
        if (model == CompatClients.Claude)
        {
            // Forwarded to Claude without what a call would not carry either.
            Assert.Equal(server.Upstream.CountedTokens, tokens);
            var sent = server.Upstream.Requests.Single();
            Assert.Null(sent["context_management"]);
            Assert.Equal("adaptive", sent["thinking"]!["type"]!.GetValue<string>());
            Assert.Equal("high", sent["output_config"]!["effort"]!.GetValue<string>());
        }
        else
        {
            Assert.True(tokens > 20, text);
            Assert.Empty(server.Upstream.Requests);
        }
    }

    [Theory]
    [InlineData("mcp_servers", """[{"type":"url","url":"https://example.com/mcp","name":"x"}]""")]
    [InlineData("container", "\"container_1\"")]
    [InlineData("not_a_field", "1")]
    public async Task FieldsThatCannotBeDroppedAndUnknownFields_Are400NamingThem(string field, string value)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var response = await http.PostAsync("messages", JsonBody.Of($$"""{"model":"gpt-4o","max_tokens":10,"{{field}}":{{value}},"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        // mcp_servers is refused on its entry: the URL is not allowed (AgentHost:Mcp:AllowedUrls).
        Assert.StartsWith(field == "mcp_servers" ? "mcp_servers.0.url:" : field + ":", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(server.Upstream.Requests);
    }
}
