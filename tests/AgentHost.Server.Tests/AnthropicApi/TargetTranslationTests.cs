using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>
/// The failure modes of translating proxies that depend on the serving model, through the real endpoints against
/// each wire: tool schemas a target refuses as written, <c>max_tokens</c> over a model's limit and reasoning models'
/// sampling, reasoning carried back after tool calls, and an attribution line that would defeat prefix caching.
/// </summary>
public sealed class TargetTranslationTests
{
    private const string Compatible = "qwen3";

    private static readonly Dictionary<string, string?> CompatibleServer = new()
    {
        ["AgentHost:Providers:Servers:local:BaseUrl"] = AgentHostServer.UpstreamBaseUrl,
        ["AgentHost:Providers:Servers:local:Models:0"] = Compatible,
        ["AgentHost:Providers:Servers:local:MaxOutputTokens"] = "8192",
    };

    private const string FetchSchema = """
        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
         "properties":{
           "url":{"type":"string","format":"uri","description":"The page"},
           "opts":{"$ref":"#/$defs/Opts"},
           "mode":{"oneOf":[{"const":"fast"},{"const":"full"}]},
           "headers":{"type":"object","propertyNames":{"pattern":"^[A-Za-z-]+$"},"additionalProperties":{"type":"string"}},
           "id":{"type":"string","pattern":"^[0-9a-f]{8}$"}},
         "anyOf":[{"required":["url"]},{"properties":{"query":{"type":"string"}},"required":["query"]}],
         "additionalProperties":false,
         "$defs":{"Opts":{"type":"object","properties":{"depth":{"type":"integer"}}}}}
        """;

    [Theory]
    [InlineData("messages", CompatClients.Claude)]
    [InlineData("messages", CompatClients.Gpt)]
    [InlineData("messages", Compatible)]
    [InlineData("chat/completions", CompatClients.Claude)]
    public async Task ToolSchemas_AreNormalisedForTheServingTarget_AndTheChangeIsInTheTrace(string door, string model)
    {
        await using var server = await AgentHostServer.StartAsync(settings: CompatibleServer);
        using var http = server.Http();
        var body = (door == "messages"
            ? """{"model":"MODEL","max_tokens":100,"tools":[{"name":"Fetch","description":"Fetches a page","input_schema":SCHEMA}],"messages":[{"role":"user","content":"fetch it"}]}"""
            : """{"model":"MODEL","tools":[{"type":"function","function":{"name":"Fetch","description":"Fetches a page","parameters":SCHEMA}}],"messages":[{"role":"user","content":"fetch it"}]}""")
            .Replace("MODEL", model, StringComparison.Ordinal).Replace("SCHEMA", FetchSchema, StringComparison.Ordinal);

        var response = await http.SendAsync(Post(door, body, "schemas"));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var tool = server.Upstream.Requests.Single()["tools"]![0]!;
        var schema = (model == CompatClients.Claude ? tool["input_schema"] : tool["function"]!["parameters"])!.AsObject();
        var text = schema.ToJsonString();

        // Anthropic and OpenAI both refuse oneOf/anyOf/allOf at the top: the branches' properties join the object's.
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.Null(schema["anyOf"]);
        Assert.Equal("string", schema["properties"]!["query"]!["type"]!.GetValue<string>());
        switch (model)
        {
            case CompatClients.Claude:
                Assert.Equal("uri", schema["properties"]!["url"]!["format"]!.GetValue<string>());
                break;
            case CompatClients.Gpt:
                // OpenAI takes $ref and pattern, but not propertyNames, $schema or a format outside its list (moved to the description).
                Assert.Null(schema["properties"]!["url"]!["format"]);
                Assert.Equal("The page (format: uri)", schema["properties"]!["url"]!["description"]!.GetValue<string>());
                Assert.DoesNotContain("propertyNames", text, StringComparison.Ordinal);
                Assert.DoesNotContain("$schema", text, StringComparison.Ordinal);
                Assert.Equal("#/$defs/Opts", schema["properties"]!["opts"]!["$ref"]!.GetValue<string>());
                break;
            default:
                // The OpenAI adapter (Microsoft.Extensions.AI) writes its own "additionalProperties": false at the top.
                schema.Remove("additionalProperties");
                text = schema.ToJsonString();
                foreach (var keyword in new[] { "$ref", "$defs", "$schema", "oneOf", "const", "pattern", "format", "propertyNames", "additionalProperties" })
                {
                    Assert.DoesNotContain($"\"{keyword}\"", text, StringComparison.Ordinal);
                }

                Assert.Equal("integer", schema["properties"]!["opts"]!["properties"]!["depth"]!["type"]!.GetValue<string>());
                Assert.Equal(["fast", "full"], schema["properties"]!["mode"]!["anyOf"]!.AsArray().Select(b => b!["enum"]![0]!.GetValue<string>()));
                Assert.Equal("(pattern: ^[0-9a-f]{8}$)", schema["properties"]!["id"]!["description"]!.GetValue<string>());
                break;
        }

        Assert.Contains(await AdjustmentsAsync(http, "schemas"), a => a.StartsWith("tools[Fetch].input_schema: normalised for", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("messages", CompatClients.Claude, 100_000, 64_000, false)]
    [InlineData("messages", CompatClients.Gpt, 32_000, 16_384, true)]
    [InlineData("messages", "o3", 32_000, 32_000, false)]
    [InlineData("messages", Compatible, 32_000, 8_192, true)]
    [InlineData("chat/completions", CompatClients.Claude, 100_000, 64_000, false)]
    [InlineData("chat/completions", "o4-mini", 200_000, 100_000, false)]
    public async Task MaxTokens_IsClampedToTheServingModelsLimit_AndReasoningModelsAndClaudeGetNoSampling(
        string door, string model, int asked, int sent, bool keepsTemperature)
    {
        await using var server = await AgentHostServer.StartAsync(settings: CompatibleServer);
        using var http = server.Http();
        var limit = door == "messages" ? "max_tokens" : "max_completion_tokens";

        // Claude's current Messages API takes no sampling parameters; OpenAI's reasoning models take only their defaults.

        var response = await http.SendAsync(Post(door, $$"""
            {"model":"{{model}}","{{limit}}":{{asked}},"temperature":0.5,"top_p":0.9,"messages":[{"role":"user","content":"hi"}]}
            """, "limits"));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var request = server.Upstream.Requests.Single();
        if (model == CompatClients.Claude)
        {
            Assert.Equal(sent, request["max_tokens"]!.GetValue<int>());
        }
        else
        {
            // OpenAI's reasoning models refuse max_tokens; max_completion_tokens is what every OpenAI model takes.
            Assert.Equal(sent, request["max_completion_tokens"]!.GetValue<int>());
            Assert.Null(request["max_tokens"]);
        }

        Assert.Equal(keepsTemperature, request["temperature"] is not null);
        Assert.Equal(keepsTemperature, request["top_p"] is not null);
        var adjustments = await AdjustmentsAsync(http, "limits");
        Assert.Equal(asked != sent, adjustments.Any(a => a.StartsWith($"max_tokens: {asked} is over {model}'s limit; sent {sent}", StringComparison.Ordinal)));
        Assert.Equal(!keepsTemperature, adjustments.Any(a => a.StartsWith("temperature:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThinkingWithItsSignature_GoesBackToClaude_AfterAToolCall(bool stream)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_1", "Read", """{"path":"a.txt"}""")) with { Thinking = "I need the file first." });
        using var http = server.Http();
        const string Tools = """ "tools":[{"name":"Read","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}] """;
        const string Thinking = """ "thinking":{"type":"enabled","budget_tokens":2000} """;

        var first = await http.PostAsync("messages", JsonBody.Of($$"""
            {"model":"claude-sonnet-4-5","max_tokens":4000,"stream":{{(stream ? "true" : "false")}},{{Thinking}},{{Tools}},"messages":[{"role":"user","content":"summarise a.txt"}]}
            """));
        var text = await first.Content.ReadAsStringAsync();
        var content = stream ? Assemble(text) : JsonNode.Parse(text)!["content"]!.AsArray();
        var second = await http.PostAsync("messages", JsonBody.Of($$"""
            {"model":"claude-sonnet-4-5","max_tokens":100000,{{Thinking}},{{Tools}},"messages":[{"role":"user","content":"summarise a.txt"},
             {"role":"assistant","content":{{content.ToJsonString()}}},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"The file says hello."}]}]}
            """));

        Assert.True(second.IsSuccessStatusCode, await second.Content.ReadAsStringAsync());
        var replayed = server.Upstream.Requests.Last()["messages"]![1]!["content"]!.AsArray();
        Assert.Equal(["thinking", "tool_use"], replayed.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("I need the file first.", replayed[0]!["thinking"]!.GetValue<string>());
        Assert.Equal(AnthropicTurns.Signature, replayed[0]!["signature"]!.GetValue<string>());
        Assert.Equal("a.txt", replayed[1]!["input"]!["path"]!.GetValue<string>());

        // The request's own thinking settings ride with it, and its max_tokens is still held to the model's limit.
        Assert.Equal(2000, server.Upstream.Requests.Last()["thinking"]!["budget_tokens"]!.GetValue<int>());
        Assert.Equal(64_000, server.Upstream.Requests.Last()["max_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData("o3")]
    [InlineData(Compatible)]
    public async Task ReasoningFromAnotherModel_IsNotSentWhereItWouldBeRefused_AndTheToolLoopGoesOn(string model)
    {
        await using var server = await AgentHostServer.StartAsync(settings: CompatibleServer);
        using var http = server.Http();

        // A conversation that moved models: a signed thinking block from Claude and an unsigned one from an OpenAI-wire model.
        var response = await http.SendAsync(Post("messages", """
            {"model":"MODEL","max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2000},
             "tools":[{"name":"Read","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"summarise a.txt"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"Claude thought.","signature":"sig-claude"},{"type":"tool_use","id":"toolu_1","name":"Read","input":{"path":"a.txt"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"hello"}]},
               {"role":"assistant","content":[{"type":"thinking","thinking":"Another model thought.","signature":""},{"type":"text","text":"It says hello."}]},
               {"role":"user","content":"and again?"}]}
            """.Replace("MODEL", model, StringComparison.Ordinal), "reasoning"));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var request = server.Upstream.Requests.Single();
        var text = request.ToJsonString();
        Assert.DoesNotContain("Another model thought.", text, StringComparison.Ordinal);
        if (model == CompatClients.Claude)
        {
            Assert.Equal("sig-claude", request["messages"]![1]!["content"]![0]!["signature"]!.GetValue<string>());
        }
        else
        {
            // Chat Completions has no field for earlier reasoning; the calls and results carry the loop.
            Assert.DoesNotContain("Claude thought.", text, StringComparison.Ordinal);
            Assert.Equal("toolu_1", request["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!["tool_call_id"]!.GetValue<string>());
        }

        Assert.Equal(model == "o3", request["reasoning_effort"] is not null);
        Assert.Contains(await AdjustmentsAsync(http, "reasoning"), a => a.StartsWith("messages[].thinking:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(Compatible)]
    public async Task AttributionLineThatChangesEveryRequest_IsLeftOutOffAnthropic_SoThePromptsPrefixStaysTheSame(string model)
    {
        await using var server = await AgentHostServer.StartAsync(settings: CompatibleServer);
        using var http = server.Http();

        foreach (var hash in new[] { "1a2b3", "9f8e7" })
        {
            var response = await http.SendAsync(Post("messages", AgentRequest(model, hash), "prefix"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var prefixes = server.Upstream.Requests.Select(r => r["messages"]![0]!.ToJsonString()).ToList();
        Assert.Equal(prefixes[0], prefixes[1]);
        Assert.Contains("You are Claude Code.", prefixes[0], StringComparison.Ordinal);
        Assert.DoesNotContain("x-anthropic-billing-header", prefixes[0], StringComparison.Ordinal);
        Assert.Contains(await AdjustmentsAsync(http, "prefix"), a => a.StartsWith("system: Claude Code's attribution line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnClaude_TheAttributionLineAndEveryCacheControlBreakpoint_ReachTheUpstreamAsSent()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var response = await http.SendAsync(Post("messages", AgentRequest(CompatClients.Claude, "1a2b3"), "claude-prefix"));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var request = server.Upstream.Requests.Single();
        Assert.StartsWith("x-anthropic-billing-header: cc_version=2.0.30; cch=1a2b3;", request["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ephemeral", request["system"]![1]!["cache_control"]!["type"]!.GetValue<string>());
        Assert.Equal("ephemeral", request["messages"]![0]!["content"]![0]!["cache_control"]!["type"]!.GetValue<string>());
        Assert.Equal("ephemeral", request["tools"]![0]!["cache_control"]!["type"]!.GetValue<string>());
    }

    private static string AgentRequest(string model, string hash) => """
        {"model":"MODEL","max_tokens":1000,
         "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.0.30; cch=HASH;"},{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"Read","input_schema":{"type":"object","properties":{"path":{"type":"string"}}},"cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]}
        """.Replace("MODEL", model, StringComparison.Ordinal).Replace("HASH", hash, StringComparison.Ordinal);

    private static HttpRequestMessage Post(string path, string json, string session)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody.Of(json) };
        request.Headers.Add("x-agenthost-session", session);
        return request;
    }

    /// <summary>The reasons of the session's <c>adjusted_field</c> trace events.</summary>
    private static async Task<List<string>> AdjustmentsAsync(HttpClient http, string session)
    {
        var trace = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions/{session}/trace"))!;
        return [.. trace["spans"]!.AsArray().SelectMany(s => s!["events"]!.AsArray())
            .Where(e => e!["type"]!.GetValue<string>() == "adjusted_field").Select(e => e!["reason"]!.GetValue<string>())];
    }

    /// <summary>The content blocks a client assembles from a streamed reply (thinking with its signature, tool input from its deltas).</summary>
    private static JsonArray Assemble(string events)
    {
        var blocks = new JsonArray();
        var inputs = new Dictionary<int, string>();
        foreach (var line in events.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)))
        {
            var e = JsonNode.Parse(line[6..])!;
            switch (e["type"]!.GetValue<string>())
            {
                case "content_block_start":
                    blocks.Add(e["content_block"]!.DeepClone());
                    break;
                case "content_block_delta":
                    var index = e["index"]!.GetValue<int>();
                    var block = blocks[index]!;
                    var delta = e["delta"]!;
                    switch (delta["type"]!.GetValue<string>())
                    {
                        case "thinking_delta":
                            block["thinking"] = block["thinking"]!.GetValue<string>() + delta["thinking"]!.GetValue<string>();
                            break;
                        case "signature_delta":
                            block["signature"] = delta["signature"]!.GetValue<string>();
                            break;
                        case "text_delta":
                            block["text"] = block["text"]!.GetValue<string>() + delta["text"]!.GetValue<string>();
                            break;
                        case "input_json_delta":
                            inputs[index] = inputs.GetValueOrDefault(index, "") + delta["partial_json"]!.GetValue<string>();
                            break;
                    }

                    break;
            }
        }

        foreach (var (index, json) in inputs)
        {
            blocks[index]!["input"] = JsonNode.Parse(json);
        }

        return blocks;
    }
}
