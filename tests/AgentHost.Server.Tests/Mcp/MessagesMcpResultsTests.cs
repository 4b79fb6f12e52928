using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>
/// <c>mcp_servers</c> on <c>/v1/messages</c> beyond text: results that are images, resources and structured content,
/// each call a tool span in the gateway session's trace, and a Messages thread that stores the MCP blocks of its turns.
/// </summary>
public sealed class MessagesMcpResultsTests
{
    private const string Servers = """
        "mcp_servers":[{"type":"url","url":"https://mcp.invalid/everything","name":"everything"}]
        """;

    [RequiresFact("node:mcp-servers")]
    public async Task NonTextResults_AreNamedInTextBlocks_ImagesReachTheModel_AndEachCallIsAToolSpanOfTheSession()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(
                ("toolu_image", "everything__get-tiny-image", "{}"),
                ("toolu_weather", "everything__get-structured-content", """{"location":"New York"}"""),
                ("toolu_resource", "everything__get-resource-reference", """{"resourceType":"Text","resourceId":1}"""),
                ("toolu_links", "everything__get-resource-links", """{"count":1}"""),
                ("toolu_bad", "everything__get-sum", """{"a":"two"}""")),
            ScriptedTurn.Say("Seen."));
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "messages")
        {
            Content = JsonBody.Of($$"""{"model":"{{CompatClients.Claude}}","max_tokens":200,"messages":[{"role":"user","content":"Try them."}],{{Servers}}}"""),
        };
        request.Headers.Add("x-agenthost-session", "mcp-results");

        using var response = await http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var results = JsonNode.Parse(text)!["content"]!.AsArray()
            .Where(b => b!["type"]!.GetValue<string>() == "mcp_tool_result")
            .ToDictionary(b => b!["tool_use_id"]!.GetValue<string>(), b => b!);
        Assert.All(results.Values, r => Assert.All(r["content"]!.AsArray(), c => Assert.Equal("text", c!["type"]!.GetValue<string>())));
        Assert.Matches(@"\[image file-[^ ]+ \(image/png\)\]", Text(results["toolu_image"]));
        Assert.Contains("temperature", Text(results["toolu_weather"]), StringComparison.Ordinal);
        Assert.Contains("[resource ", Text(results["toolu_resource"]), StringComparison.Ordinal);
        Assert.Contains("[resource link ", Text(results["toolu_links"]), StringComparison.Ordinal);
        Assert.True(results["toolu_bad"]["is_error"]!.GetValue<bool>());
        Assert.All(results.Where(r => r.Key != "toolu_bad"), r => Assert.False(r.Value["is_error"]!.GetValue<bool>()));

        // The image itself reached the model, after the results.
        Assert.Contains("iVBOR", server.Upstream.Requests.Last()["messages"]!.ToJsonString(), StringComparison.Ordinal);

        // Each call is a tool span of the gateway session, with its duration, and the failing one with its error.
        var spans = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions/mcp-results/trace"))!["spans"]!.AsArray()
            .Where(s => s!["kind"]!.GetValue<string>() == "tool_call")
            .ToDictionary(s => s!["tool_call_id"]!.GetValue<string>(), s => s!);
        Assert.Equal(results.Keys.Order(StringComparer.Ordinal), spans.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("mcp:everything__get-tiny-image", spans["toolu_image"]["tool_type"]!.GetValue<string>());
        Assert.Equal("ok", spans["toolu_image"]["status"]!.GetValue<string>());
        Assert.Equal("error", spans["toolu_bad"]["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(spans["toolu_bad"]["error"]?.GetValue<string>()));
        Assert.All(spans.Values, s => Assert.True(s["duration_ms"]!.GetValue<long>() >= 0));
        Assert.All(spans.Values, s => Assert.Equal("mcp-results", s["session_id"]!.GetValue<string>()));
    }

    [RequiresTheory("node:mcp-servers")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AThread_StoresItsTurnsMcpBlocks_AndTheNextTurnSendsThemToTheModel(bool stream)
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_echo", "everything__echo", """{"message":"hi"}""")), ScriptedTurn.Say("It said hi."), ScriptedTurn.Say("Still hi."));
        using var http = server.Http();
        const string Tools = """
            "tools":[{"type":"mcp_toolset","mcp_server_name":"everything","default_config":{"enabled":false},"configs":{"echo":{"enabled":true}}}]
            """;

        var first = await SendAsync(http, $$"""
            {"model":"{{CompatClients.Claude}}","max_tokens":200,"stream":{{(stream ? "true" : "false")}},"thread":{"type":"create"},
             "messages":[{"role":"user","content":"Echo hi."}],{{Servers}},{{Tools}}}
            """, stream);

        Assert.Equal(["mcp_tool_use", "mcp_tool_result", "text"], first["content"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
        var second = await SendAsync(http, $$"""
            {"model":"{{CompatClients.Claude}}","max_tokens":200,"stream":{{(stream ? "true" : "false")}},
             "thread":{"type":"continue","previous_message_id":"{{first["id"]}}"},"messages":[{"role":"user","content":"Again?"}],{{Servers}}}
            """, stream);

        Assert.Equal("Still hi.", second["content"]!.AsArray().Last()!["text"]!.GetValue<string>());
        var sent = server.Upstream.Requests.Last()["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], sent.Select(m => m!["role"]!.GetValue<string>()));
        var call = sent[1]!["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal(("toolu_echo", "everything__echo"), (call["id"]!.GetValue<string>(), call["name"]!.GetValue<string>()));
        Assert.Contains("Echo: hi", sent[2]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Again?", sent[4]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static string Text(JsonNode result) => string.Concat(result["content"]!.AsArray().Select(c => c!["text"]!.GetValue<string>()));

    private static async Task<JsonNode> SendAsync(HttpClient http, string body, bool stream)
    {
        using var response = await http.PostAsync("messages", JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        if (!stream)
        {
            return JsonNode.Parse(text)!;
        }

        // The message a stream spells: its start, and each block as it started (MCP results arrive whole).
        var events = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["data: ".Length..])!).ToList();
        var message = events.Single(e => e["type"]!.GetValue<string>() == "message_start")["message"]!.DeepClone();
        var content = message["content"]!.AsArray();
        foreach (var e in events.Where(e => e["type"]!.GetValue<string>() == "content_block_start"))
        {
            content.Add(e["content_block"]!.DeepClone());
        }

        foreach (var e in events.Where(e => e["type"]!.GetValue<string>() == "content_block_delta" && e["delta"]!["type"]!.GetValue<string>() == "text_delta"))
        {
            var block = content[e["index"]!.GetValue<int>()]!;
            block["text"] = block["text"]!.GetValue<string>() + e["delta"]!["text"]!.GetValue<string>();
        }

        return message;
    }
}
