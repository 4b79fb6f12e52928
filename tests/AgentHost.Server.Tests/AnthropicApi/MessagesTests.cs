using System.Text.Json;
using AgentHost.Server.Tests.Support;
using Anthropic;
using Anthropic.Models.Messages;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary><c>POST /v1/messages</c> driven by the official Anthropic SDK, with Claude (Anthropic wire) and GPT (OpenAI wire) behind it.</summary>
public sealed class MessagesTests : IClassFixture<CompatServerFixture>
{
    private readonly AgentHostServer _server;

    public MessagesTests(CompatServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Upstream.Requests.Clear();
        _server.Upstream.Paths.Clear();
    }

    [Theory]
    [InlineData(CompatClients.Claude, "/v1/messages", 20)]
    [InlineData(CompatClients.Gpt, "/v1/chat/completions", 0)]
    public async Task Text_OnEachProvider_ReturnsMessageWithUsageExcludingCachedTokens(string model, string upstreamPath, int cacheCreation)
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("Hello from upstream.") with { PromptTokens = 12, CachedTokens = 100, CacheCreationTokens = cacheCreation });

        var message = await _server.Anthropic().Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            System = "Be brief.",
            Messages = [new UserMessageParam("Say hello.")],
        });

        Assert.True(message.Content.Single().TryPickText(out var text));
        Assert.Equal("Hello from upstream.", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.StartsWith("msg_", message.ID);
        Assert.Equal(12, message.Usage.InputTokens);
        Assert.Equal(100, message.Usage.CacheReadInputTokens);
        Assert.Equal(cacheCreation, message.Usage.CacheCreationInputTokens);
        Assert.Equal(5, message.Usage.OutputTokens);
        Assert.Equal(upstreamPath, Assert.Single(_server.Upstream.Paths));
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task ToolUse_ParallelCallsThenResultsWithIsError_RoundTripsIdsAndEndsTurn(string model)
    {
        _server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_01A", "search_database", """{"query":"widgets"}"""), ("toolu_01B", "search_database", """{"query":"gadgets"}""")),
            ScriptedTurn.Say("We have 12 widgets; gadgets are unavailable."));
        var client = _server.Anthropic();
        List<MessageParam> messages = [new UserMessageParam("Stock of widgets and gadgets?")];
        var parameters = new MessageCreateParams { Model = model, MaxTokens = 512, Messages = messages, Tools = [SearchTool()] };

        var first = await client.Messages.Create(parameters);

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        var calls = first.Content.Select(c => c.TryPickToolUse(out var t) ? t : null).OfType<ToolUseBlock>().ToList();
        Assert.Equal(["toolu_01A", "toolu_01B"], calls.Select(c => c.ID));
        Assert.Equal("widgets", calls[0].Input["query"].GetString());

        messages.Add(new AssistantMessageParam(calls.Select(c => (ContentBlockParam)new ToolUseBlockParam { ID = c.ID, Name = c.Name, Input = c.Input }).ToList()));
        messages.Add(new UserMessageParam(new List<ContentBlockParam>
        {
            new ToolResultBlockParam("toolu_01A") { Content = "12 widgets in stock" },
            new ToolResultBlockParam("toolu_01B") { Content = "database timeout", IsError = true },
        }));
        var second = await client.Messages.Create(parameters with { Messages = messages });

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        Assert.True(second.Content.Single().TryPickText(out var answer));
        Assert.Equal("We have 12 widgets; gadgets are unavailable.", answer.Text);
        var sent = _server.Upstream.Requests.Last();
        if (model == CompatClients.Claude)
        {
            var results = sent["messages"]!.AsArray().SelectMany(m => m!["content"] as System.Text.Json.Nodes.JsonArray ?? []).Where(b => b!["type"]!.GetValue<string>() == "tool_result").ToList();
            Assert.Equal(["toolu_01A", "toolu_01B"], results.Select(r => r!["tool_use_id"]!.GetValue<string>()));
            Assert.True(results[1]!["is_error"]!.GetValue<bool>());
            Assert.Equal("search_database", sent["tools"]![0]!["name"]!.GetValue<string>());
        }
        else
        {
            var sentMessages = sent["messages"]!.AsArray();
            var toolMessages = sentMessages.Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
            Assert.Equal(["toolu_01A", "toolu_01B"], toolMessages.Select(m => m!["tool_call_id"]!.GetValue<string>()));
            Assert.Contains("database timeout", toolMessages[1]!["content"]!.ToJsonString(), StringComparison.Ordinal);
            var assistant = sentMessages.Single(m => m!["role"]!.GetValue<string>() == "assistant");
            Assert.Equal(2, assistant!["tool_calls"]!.AsArray().Count);
            Assert.Equal("search_database", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        }
    }

    public static TheoryData<string, string> StreamScripts => new()
    {
        { CompatClients.Claude, "text" },
        { CompatClients.Claude, "tools" },
        { CompatClients.Claude, "thinking" },
        { CompatClients.Gpt, "text" },
        { CompatClients.Gpt, "tools" },
    };

    [Theory]
    [MemberData(nameof(StreamScripts))]
    public async Task Stream_AggregatedBySdk_EqualsNonStreamedMessage(string model, string script)
    {
        var turn = script switch
        {
            "tools" => ScriptedTurn.Call(("toolu_01A", "search_database", """{"query":"widgets","limit":5}"""), ("toolu_01B", "search_database", """{"query":"gadgets"}""")) with { Text = "Let me look." },
            "thinking" => ScriptedTurn.Say("The answer is 4.") with { Thinking = "2 + 2 = 4" },
            _ => ScriptedTurn.Say("Streaming works across providers."),
        };
        turn = turn with { CachedTokens = 30, CacheCreationTokens = model == CompatClients.Claude ? 7 : 0 };
        _server.Upstream.Enqueue(turn, turn);
        var client = _server.Anthropic();
        var parameters = new MessageCreateParams
        {
            Model = model,
            MaxTokens = 2048,
            Messages = [new UserMessageParam("Go.")],
            Tools = [SearchTool()],
        };

        var whole = await client.Messages.Create(parameters);
        var streamed = await client.Messages.CreateStreaming(parameters).Aggregate();

        // The SDK's aggregator rebuilds blocks, so their keys may come in another order: compare as JSON values.
        var expected = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(whole.Content));
        var actual = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(streamed.Content));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected, actual), $"non-streamed {expected!.ToJsonString()}\nstreamed     {actual!.ToJsonString()}");
        Assert.Equal(whole.StopReason, streamed.StopReason);
        Assert.Equal(whole.StopSequence, streamed.StopSequence);
        Assert.Equal(whole.Usage.InputTokens, streamed.Usage.InputTokens);
        Assert.Equal(whole.Usage.OutputTokens, streamed.Usage.OutputTokens);
        Assert.Equal(whole.Usage.CacheReadInputTokens, streamed.Usage.CacheReadInputTokens);
        Assert.Equal(whole.Usage.CacheCreationInputTokens, streamed.Usage.CacheCreationInputTokens);
        Assert.Equal(whole.Model, streamed.Model);
        Assert.NotEmpty(whole.Content);
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task Stream_SendsTheApisEventSequence(string model)
    {
        _server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_01A", "search_database", """{"query":"widgets"}""")) with { Text = "Checking." });
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "messages")
        {
            Content = new StringContent($$$"""{"model":"{{{model}}}","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Go."}],"tools":[{"name":"search_database","input_schema":{"type":"object"}}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.Contains("request-id"));
        var names = body.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]).ToList();
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            names.Where((n, i) => n != "content_block_delta" || names[i - 1] != "content_block_delta"));
        Assert.Contains("\"type\":\"input_json_delta\"", body, StringComparison.Ordinal);
        Assert.Contains("\"stop_reason\":\"tool_use\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompatClients.Claude, "length", null, "max_tokens")]
    [InlineData(CompatClients.Claude, "stop", "###", "stop_sequence")]
    [InlineData(CompatClients.Claude, "content_filter", null, "refusal")]
    [InlineData(CompatClients.Gpt, "length", null, "max_tokens")]
    [InlineData(CompatClients.Gpt, "content_filter", null, "refusal")]
    public async Task StopReasons_MapFromEachProvider(string model, string finishReason, string? stopSequence, string expected)
    {
        var turn = ScriptedTurn.Say("Partial") with { FinishReason = finishReason, StopSequence = stopSequence };
        _server.Upstream.Enqueue(turn, turn);
        var parameters = new MessageCreateParams
        {
            Model = model,
            MaxTokens = 5,
            StopSequences = stopSequence is null ? null : [stopSequence],
            Messages = [new UserMessageParam("Go.")],
        };

        var message = await _server.Anthropic().Messages.Create(parameters);
        var streamed = await _server.Anthropic().Messages.CreateStreaming(parameters).Aggregate();

        Assert.Equal(expected, message.StopReason!.Raw());
        Assert.Equal(stopSequence, message.StopSequence);
        Assert.Equal(expected, streamed.StopReason!.Raw());
        Assert.Equal(stopSequence, streamed.StopSequence);
    }

    [Fact]
    public async Task Options_ReachAnAnthropicUpstreamAsSent()
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("ok"));

        await _server.Anthropic().Messages.Create(new MessageCreateParams
        {
            Model = CompatClients.Claude,
            MaxTokens = 4000,
            StopSequences = ["END"],
            Thinking = new ThinkingConfigEnabled(2048),
            Metadata = new Metadata { UserID = "user-7" },
            ToolChoice = new ToolChoiceTool("search_database") { DisableParallelToolUse = true },
            Tools = [SearchTool()],
            Messages = [new UserMessageParam("Go.")],
        });

        var sent = _server.Upstream.Requests.Single();
        Assert.Equal(4000, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal("END", sent["stop_sequences"]![0]!.GetValue<string>());
        Assert.Equal(2048, sent["thinking"]!["budget_tokens"]!.GetValue<int>());
        Assert.Equal("user-7", sent["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal("tool", sent["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal("search_database", sent["tool_choice"]!["name"]!.GetValue<string>());
        Assert.True(sent["tool_choice"]!["disable_parallel_tool_use"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ImageAndDocumentBlocks_ReachEachProvider()
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("A red pixel."), ScriptedTurn.Say("A red pixel."));
        const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
        var body = $$$"""{"model":"MODEL","max_tokens":50,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Png}}}"}},{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Inventory list"}},{"type":"text","text":"Describe."}]}]}""";
        using var http = _server.Http();

        foreach (var model in new[] { CompatClients.Claude, CompatClients.Gpt })
        {
            using var response = await http.PostAsync("messages", new StringContent(body.Replace("MODEL", model, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        var sent = _server.Upstream.Requests.ToList();
        var claudeBlocks = sent[0]["messages"]![0]!["content"]!.AsArray();
        Assert.Equal(Png, claudeBlocks[0]!["source"]!["data"]!.GetValue<string>());
        Assert.Equal("document", claudeBlocks[1]!["type"]!.GetValue<string>());
        var gptParts = sent[1]["messages"]![0]!["content"]!.AsArray();
        Assert.StartsWith("data:image/png;base64,", gptParts[0]!["image_url"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(gptParts, p => p!["text"]?.GetValue<string>() == "Inventory list");
    }

    internal static ToolUnion SearchTool() => SearchToolDefinition();

    internal static Tool SearchToolDefinition() => new()
    {
        Name = "search_database",
        Description = "Searches the inventory database.",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["query"] = JsonSerializer.SerializeToElement(new { type = "string" }),
                ["limit"] = JsonSerializer.SerializeToElement(new { type = "integer" }),
            },
            Required = ["query"],
        },
    };
}
