using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>
/// Known failure modes of translating proxies, each pinned: system turns among the messages, streamed tool calls on
/// an OpenAI-wire model, empty text blocks, count_tokens counting system and tools, and the overhead header.
/// </summary>
public sealed class TranslationFailureModeTests
{
    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task SystemTurnsInsideMessages_AreMergedIntoTheSystemPrompt_InTheirOrder_OnEachProvider(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var response = await http.PostAsync("messages", JsonBody.Of($$"""
            {"model":"{{model}}","max_tokens":50,"system":"You are terse.","messages":[
              {"role":"user","content":"hi"},{"role":"assistant","content":"Hello."},
              {"role":"system","content":"The user is now in read-only mode."},{"role":"user","content":"edit the file"}]}
            """));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sent = server.Upstream.Requests.Single();
        var roles = sent["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()).ToList();
        var system = model == CompatClients.Claude ? sent["system"]!.ToJsonString() : sent["messages"]![0]!.ToJsonString();
        Assert.True(system.IndexOf("You are terse.", StringComparison.Ordinal) is >= 0 and var terse
            && system.IndexOf("The user is now in read-only mode.", StringComparison.Ordinal) > terse, system);
        Assert.Equal(model == CompatClients.Claude ? ["user", "assistant", "user"] : ["system", "user", "assistant", "user"], roles);
    }

    [Fact]
    public async Task StreamedToolCallsFromAnOpenAIWireModel_EndWithToolUse_EveryBlockHasItsStart_AndNoTextBlockIsEmpty()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_a", "lookup", """{"sku":"A-1"}"""), ("call_b", "lookup", """{"sku":"B-2"}""")));
        using var http = server.Http();

        var text = await (await http.PostAsync("messages", JsonBody.Of("""
            {"model":"gpt-4o","max_tokens":50,"stream":true,"tools":[{"name":"lookup","input_schema":{"type":"object","properties":{"sku":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"look up A-1 and B-2"}]}
            """))).Content.ReadAsStringAsync();

        var events = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).ToList();
        var started = new Dictionary<int, JsonNode>();
        var textByBlock = new Dictionary<int, string>();
        foreach (var e in events)
        {
            var type = e["type"]!.GetValue<string>();
            if (type == "content_block_start")
            {
                started.Add(e["index"]!.GetValue<int>(), e["content_block"]!);
            }
            else if (type is "content_block_delta" or "content_block_stop")
            {
                var index = e["index"]!.GetValue<int>();
                Assert.True(started.ContainsKey(index), $"block {index} has no content_block_start: {text}");
                if (e["delta"]?["text"] is { } delta)
                {
                    textByBlock[index] = textByBlock.GetValueOrDefault(index, "") + delta.GetValue<string>();
                }
            }
        }

        Assert.Equal(["call_a", "call_b"], started.Values.Where(b => b["type"]!.GetValue<string>() == "tool_use").Select(b => b["id"]!.GetValue<string>()));
        Assert.All(started.Where(b => b.Value["type"]!.GetValue<string>() == "text"), b => Assert.False(string.IsNullOrEmpty(textByBlock.GetValueOrDefault(b.Key))));
        Assert.Equal("tool_use", events.Single(e => e["type"]!.GetValue<string>() == "message_delta")["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task CountTokens_OnAnEstimatedModel_CountsTheSystemPromptAndTheTools()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        const string Messages = """ "messages":[{"role":"user","content":"hi"}] """;
        const string System = """ "system":[{"type":"text","text":"You are a careful assistant who reads every file twice before editing it."}] """;
        const string Tools = """ "tools":[{"name":"lookup","description":"Looks an item up in the inventory by its SKU.","input_schema":{"type":"object","properties":{"sku":{"type":"string","description":"The SKU."}}}}] """;

        async Task<int> CountAsync(string fields) =>
            JsonNode.Parse(await (await http.PostAsync("messages/count_tokens", JsonBody.Of($$"""{"model":"gpt-4o",{{fields}}}"""))).Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<int>();

        var bare = await CountAsync(Messages);
        var withSystem = await CountAsync($"{System},{Messages}");
        var withTools = await CountAsync($"{Tools},{Messages}");

        Assert.True(withSystem >= bare + 12, $"{withSystem} vs {bare}");
        Assert.True(withTools >= bare + 15, $"{withTools} vs {bare}");
        Assert.Empty(server.Upstream.Paths);
    }

    [Fact]
    public async Task EveryGatewayResponse_CarriesTheOverheadHeader_ErrorsIncluded()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        const string Messages = """{"model":"gpt-4o","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""";
        const string StreamedMessages = """{"model":"claude-sonnet-4-5","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        const string Chat = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""";
        const string StreamedChat = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

        var responses = new[]
        {
            await http.PostAsync("messages", JsonBody.Of(Messages)),
            await http.PostAsync("messages", JsonBody.Of(StreamedMessages)),
            await http.PostAsync("messages", JsonBody.Of("""{"model":"gpt-4o","messages":[]}""")),
            await http.PostAsync("messages/count_tokens", JsonBody.Of("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""")),
            await http.PostAsync("chat/completions", JsonBody.Of(Chat)),
            await http.PostAsync("chat/completions", JsonBody.Of(StreamedChat)),
        };

        Assert.Equal([200, 200, 400, 200, 200, 200], responses.Select(r => (int)r.StatusCode));
        foreach (var response in responses)
        {
            await response.Content.ReadAsStringAsync();
            var value = response.Headers.GetValues("x-agenthost-overhead-ms").Single();
            Assert.True(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0, value);
        }
    }
}
