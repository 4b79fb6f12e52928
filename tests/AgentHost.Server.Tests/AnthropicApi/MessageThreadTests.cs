using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>
/// Messages threads (<c>thread</c> on <c>/v1/messages</c>) held by AgentHost on every model: a continue sends only the
/// new turn, the upstream gets the whole conversation, the response shape is unchanged, and the thread's errors are
/// Anthropic's, with the <c>error.details.error_code</c> the SDKs act on.
/// </summary>
public sealed class MessageThreadTests
{
    private const string Tools = """[{"name":"square","description":"Squares a number.","input_schema":{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}}]""";

    [Theory]
    [InlineData(CompatClients.Claude, false)]
    [InlineData(CompatClients.Claude, true)]
    [InlineData(CompatClients.Gpt, false)]
    [InlineData(CompatClients.Gpt, true)]
    public async Task Continue_SendsOnlyTheNewTurn_AndTheUpstreamGetsTheWholeConversation(string model, bool stream)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_1", "square", """{"n":3}""")), ScriptedTurn.Say("3 squared is 9."));
        using var http = server.Http();

        var first = await SendAsync(http, $$"""
            {"model":"{{model}}","max_tokens":100,"stream":{{Json(stream)}},"thread":{"type":"create"},"system":"Use the tools.","tools":{{Tools}},
             "messages":[{"role":"user","content":"What is 3 squared?"}]}
            """, stream);
        var firstId = first["id"]!.GetValue<string>();
        Assert.StartsWith("msg_", firstId, StringComparison.Ordinal);
        Assert.Equal("tool_use", first["stop_reason"]!.GetValue<string>());
        var toolUse = first["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        var callId = toolUse["id"]!.GetValue<string>();

        var second = await SendAsync(http, $$"""
            {"model":"{{model}}","max_tokens":100,"stream":{{Json(stream)}},"thread":{"type":"continue","previous_message_id":"{{firstId}}"},
             "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"{{callId}}","content":"9"}]}]}
            """, stream);

        Assert.Equal("3 squared is 9.", second["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", second["stop_reason"]!.GetValue<string>());
        Assert.NotEqual(firstId, second["id"]!.GetValue<string>());
        var sent = server.Upstream.Requests.Last();
        Assert.Null(sent["thread"]);
        if (model == CompatClients.Claude)
        {
            Assert.Contains("Use the tools.", sent["system"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("square", sent["tools"]![0]!["name"]!.GetValue<string>());
            Assert.Equal(["user", "assistant", "user"], sent["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
            Assert.Equal(callId, sent["messages"]![1]!["content"]![0]!["id"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(["system", "user", "assistant", "tool"], sent["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
            Assert.Equal(callId, sent["messages"]![2]!["tool_calls"]![0]!["id"]!.GetValue<string>());
            Assert.Equal("square", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        }

        // The thread's history is in the session both turns were counted in.
        var session = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{SessionOf(first)}"))!;
        Assert.Equal(2, session["calls"]!.AsArray().Count);
        var thread = session["message_threads"]!.AsArray().Single()!;
        Assert.Equal(firstId, thread["id"]!.GetValue<string>());
        Assert.Equal([firstId, second["id"]!.GetValue<string>()], thread["turns"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(callId, thread["turns"]![0]!["reply"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!["id"]!.GetValue<string>());
        Assert.Equal("3 squared is 9.", thread["turns"]![1]!["reply"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Continue_FromAnUnknownOrDeletedMessage_Is404ThreadNotFound()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var created = await SendAsync(http, """{"model":"gpt-4o","max_tokens":10,"thread":{"type":"create"},"messages":[{"role":"user","content":"hi"}]}""", stream: false);
        var id = created["id"]!.GetValue<string>();

        var unknown = await ContinueAsync(http, "msg_unknown");
        var deleted = await http.DeleteAsync($"agenthost/message_threads/{id}");
        var afterDelete = await ContinueAsync(http, id);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        foreach (var response in new[] { unknown, afterDelete })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("error", error["type"]!.GetValue<string>());
            Assert.Equal("not_found_error", error["error"]!["type"]!.GetValue<string>());
            Assert.Equal("thread_not_found", error["error"]!["details"]!["error_code"]!.GetValue<string>());
        }

        Assert.Single(server.Upstream.Requests);
    }

    [Fact]
    public async Task Continue_TwiceFromTheSameMessage_Is400ThreadAlreadyContinued()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var created = await SendAsync(http, """{"model":"claude-sonnet-4-5","max_tokens":10,"thread":{"type":"create"},"messages":[{"role":"user","content":"hi"}]}""", stream: false);
        var id = created["id"]!.GetValue<string>();

        var once = await ContinueAsync(http, id);
        var twice = await ContinueAsync(http, id);

        Assert.Equal(HttpStatusCode.OK, once.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        var error = JsonNode.Parse(await twice.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("thread_already_continued", error["details"]!["error_code"]!.GetValue<string>());
        Assert.Equal(2, server.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Continue_RepeatingTheThreadsSystem_IsAccepted_ButChangingIt_Is400FingerprintMismatch()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var created = await SendAsync(http, """{"model":"gpt-4o","max_tokens":10,"system":"Be brief.","thread":{"type":"create"},"messages":[{"role":"user","content":"hi"}]}""", stream: false);
        var id = created["id"]!.GetValue<string>();

        var changed = await http.PostAsync("messages", JsonBody.Of($$"""
            {"model":"gpt-4o","max_tokens":10,"system":"Be verbose.","thread":{"type":"continue","previous_message_id":"{{id}}"},"messages":[{"role":"user","content":"more"}]}
            """));
        var repeated = await http.PostAsync("messages", JsonBody.Of($$"""
            {"model":"gpt-4o","max_tokens":10,"system":"Be brief.","thread":{"type":"continue","previous_message_id":"{{id}}"},"messages":[{"role":"user","content":"more"}]}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        var error = JsonNode.Parse(await changed.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("thread_fingerprint_mismatch", error["details"]!["error_code"]!.GetValue<string>());
        Assert.StartsWith("system:", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
    }

    [Fact]
    public async Task AStreamThatFailsMidway_StoresNothing_SoContinuingFromIt_Is404()
    {
        await using var server = await CompatClients.StartWithoutRetriesAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Partial answer here") with { FailMidStream = "overloaded_error" });
        using var http = server.Http();

        var text = await (await http.PostAsync("messages", JsonBody.Of("""
            {"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"thread":{"type":"create"},"messages":[{"role":"user","content":"hi"}]}
            """))).Content.ReadAsStringAsync();
        var id = JsonNode.Parse(Events(text).First(e => e["type"]!.GetValue<string>() == "message_start").ToJsonString())!["message"]!["id"]!.GetValue<string>();
        var continued = await ContinueAsync(http, id);

        Assert.Contains("event: error", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, continued.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"resume"}""", "thread.type")]
    [InlineData("""{"type":"continue"}""", "thread.previous_message_id")]
    [InlineData("""{"type":"create","previous_message_id":"msg_1"}""", "thread.previous_message_id")]
    [InlineData("\"create\"", "thread")]
    public async Task AMalformedThread_Is400NamingTheField(string thread, string field)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var response = await http.PostAsync("messages", JsonBody.Of($$"""{"model":"gpt-4o","max_tokens":10,"thread":{{thread}},"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(server.Upstream.Requests);
    }

    [Fact]
    public async Task ThreadsAreListed_MostRecentlyContinuedFirst_WithTheirTip_AndPagedWithAfter()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var older = await SendAsync(http, """{"model":"gpt-4o","max_tokens":10,"thread":{"type":"create"},"messages":[{"role":"user","content":"first thread"}]}""", stream: false);
        var newer = await SendAsync(http, """{"model":"gpt-4o","max_tokens":10,"thread":{"type":"create"},"messages":[{"role":"user","content":"second thread"}]}""", stream: false);
        var tip = JsonNode.Parse(await (await ContinueAsync(http, older["id"]!.GetValue<string>())).Content.ReadAsStringAsync())!;

        var page = JsonNode.Parse(await http.GetStringAsync("agenthost/message_threads?limit=1"))!;
        var rest = JsonNode.Parse(await http.GetStringAsync($"agenthost/message_threads?limit=5&after={page["last_id"]!.GetValue<string>()}"))!;
        var refused = await http.GetAsync("agenthost/message_threads?order=asc");

        // The older thread was continued last, so it leads; its tip is the continuation's reply.
        var first = page["data"]![0]!;
        Assert.Equal(older["id"]!.GetValue<string>(), first["id"]!.GetValue<string>());
        Assert.Equal((2, tip["id"]!.GetValue<string>(), "claude-sonnet-4-5"), (first["turns"]!.GetValue<int>(), first["last_message_id"]!.GetValue<string>(), first["last_model"]!.GetValue<string>()));
        Assert.StartsWith("sess_", first["session_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(page["has_more"]!.GetValue<bool>());
        Assert.Equal([newer["id"]!.GetValue<string>()], rest["data"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.False(rest["has_more"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private static string Json(bool value) => value ? "true" : "false";

    private static string SessionOf(JsonNode message) => message["_session"]!.GetValue<string>();

    private static Task<HttpResponseMessage> ContinueAsync(HttpClient http, string previous) =>
        http.PostAsync("messages", JsonBody.Of($$"""
            {"model":"claude-sonnet-4-5","max_tokens":10,"thread":{"type":"continue","previous_message_id":"{{previous}}"},"messages":[{"role":"user","content":"more"}]}
            """));

    /// <summary>Sends a create/continue and returns the message (assembled from the events when streamed), with the session header as <c>_session</c>.</summary>
    private static async Task<JsonNode> SendAsync(HttpClient http, string body, bool stream)
    {
        using var response = await http.PostAsync("messages", JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var message = stream ? Assemble(Events(text)) : JsonNode.Parse(text)!;
        message["_session"] = response.Headers.GetValues("x-agenthost-session").Single();
        return message;
    }

    private static List<JsonNode> Events(string sse) =>
        [.. sse.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["data: ".Length..])!)];

    /// <summary>The message a stream spells, as the SDKs assemble it.</summary>
    private static JsonNode Assemble(List<JsonNode> events)
    {
        var message = events.Single(e => e["type"]!.GetValue<string>() == "message_start")["message"]!.DeepClone();
        var content = message["content"]!.AsArray();
        var partial = new Dictionary<int, string>();
        foreach (var e in events)
        {
            switch (e["type"]!.GetValue<string>())
            {
                case "content_block_start":
                    content.Add(e["content_block"]!.DeepClone());
                    break;
                case "content_block_delta" when e["delta"]!["type"]!.GetValue<string>() == "text_delta":
                    var block = content[e["index"]!.GetValue<int>()]!;
                    block["text"] = block["text"]!.GetValue<string>() + e["delta"]!["text"]!.GetValue<string>();
                    break;
                case "content_block_delta" when e["delta"]!["type"]!.GetValue<string>() == "input_json_delta":
                    var index = e["index"]!.GetValue<int>();
                    partial[index] = partial.GetValueOrDefault(index, "") + e["delta"]!["partial_json"]!.GetValue<string>();
                    break;
                case "content_block_stop" when partial.TryGetValue(e["index"]!.GetValue<int>(), out var json):
                    content[e["index"]!.GetValue<int>()]!["input"] = JsonNode.Parse(json.Length == 0 ? "{}" : json);
                    break;
                case "message_delta":
                    message["stop_reason"] = e["delta"]!["stop_reason"]!.DeepClone();
                    break;
            }
        }

        return message;
    }
}
