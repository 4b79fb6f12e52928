using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace AgentHost.Server.Tests.ChatCompletions;

/// <summary><c>POST /v1/chat/completions</c> driven by the official OpenAI SDK, with GPT (OpenAI wire) and Claude (Anthropic wire) behind it.</summary>
public sealed class ChatCompletionsTests : IClassFixture<CompatServerFixture>
{
    private static readonly ChatTool SearchTool = ChatTool.CreateFunctionTool(
        "search_database",
        "Searches the inventory database.",
        BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer"}},"required":["query"]}"""));

    private readonly AgentHostServer _server;

    public ChatCompletionsTests(CompatServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Upstream.Requests.Clear();
        _server.Upstream.Paths.Clear();
    }

    [Theory]
    [InlineData(CompatClients.Gpt, "/v1/chat/completions", 0, 112)]
    [InlineData(CompatClients.Claude, "/v1/messages", 20, 132)]
    public async Task Text_OnEachProvider_PromptTokensIncludeCachedTokens(string model, string upstreamPath, int cacheCreation, int promptTokens)
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("Hello from upstream.") with { PromptTokens = 12, CachedTokens = 100, CacheCreationTokens = cacheCreation });

        ChatCompletion completion = await _server.Chat(model).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Say hello.")]);

        Assert.Equal("Hello from upstream.", completion.Content.Single().Text);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Stop, completion.FinishReason);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(promptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(100, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);
        Assert.Equal(upstreamPath, Assert.Single(_server.Upstream.Paths));
        var sent = _server.Upstream.Requests.Single();
        if (model == CompatClients.Claude)
        {
            Assert.Equal("Be brief.", sent["system"]![0]!["text"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task ToolCalls_ParallelThenToolResults_RoundTripIds(string model)
    {
        _server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_A", "search_database", """{"query":"widgets"}"""), ("call_B", "search_database", """{"query":"gadgets"}""")),
            ScriptedTurn.Say("12 widgets; no gadgets."));
        var client = _server.Chat(model);
        List<OpenAI.Chat.ChatMessage> messages = [new UserChatMessage("Stock of widgets and gadgets?")];
        var options = new ChatCompletionOptions { Tools = { SearchTool } };

        ChatCompletion first = await client.CompleteChatAsync(messages, options);

        Assert.Equal(OpenAI.Chat.ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(["call_A", "call_B"], first.ToolCalls.Select(c => c.Id));
        Assert.Equal("""{"query":"widgets"}""", first.ToolCalls[0].FunctionArguments.ToString());
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_A", "12 widgets in stock"));
        messages.Add(new ToolChatMessage("call_B", "no gadgets"));
        ChatCompletion second = await client.CompleteChatAsync(messages, options);

        Assert.Equal("12 widgets; no gadgets.", second.Content.Single().Text);
        var sent = _server.Upstream.Requests.Last();
        if (model == CompatClients.Claude)
        {
            var blocks = sent["messages"]!.AsArray().SelectMany(m => m!["content"] as JsonArray ?? []).ToList();
            Assert.Equal(["call_A", "call_B"], blocks.Where(b => b!["type"]!.GetValue<string>() == "tool_use").Select(b => b!["id"]!.GetValue<string>()));
            Assert.Equal(["call_A", "call_B"], blocks.Where(b => b!["type"]!.GetValue<string>() == "tool_result").Select(b => b!["tool_use_id"]!.GetValue<string>()));
            Assert.Equal("search_database", sent["tools"]![0]!["name"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(["call_A", "call_B"], sent["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>()));
        }
    }

    public static TheoryData<string, string> StreamScripts => new()
    {
        { CompatClients.Gpt, "text" },
        { CompatClients.Gpt, "tools" },
        { CompatClients.Claude, "text" },
        { CompatClients.Claude, "tools" },
    };

    [Theory]
    [MemberData(nameof(StreamScripts))]
    public async Task Stream_Accumulated_EqualsNonStreamedCompletion(string model, string script)
    {
        var turn = script == "tools"
            ? ScriptedTurn.Call(("call_A", "search_database", """{"query":"widgets","limit":5}"""), ("call_B", "search_database", """{"query":"gadgets"}"""))
            : ScriptedTurn.Say("Streaming works across providers.");
        turn = turn with { CachedTokens = 30 };
        _server.Upstream.Enqueue(turn, turn);
        var client = _server.Chat(model).AsIChatClient();
        Microsoft.Extensions.AI.ChatMessage[] prompt = [new(ChatRole.User, "Go.")];
        var options = new ChatOptions { Tools = [AIFunctionFactory.CreateDeclaration("search_database", "Searches.", System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"query":{"type":"string"}}}""").RootElement)] };

        var whole = await client.GetResponseAsync(prompt, options);
        var streamed = await client.GetStreamingResponseAsync(prompt, options).ToChatResponseAsync();

        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.FinishReason, streamed.FinishReason);
        Assert.Equal(Calls(whole), Calls(streamed));
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(whole.Usage.CachedInputTokenCount, streamed.Usage.CachedInputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
        Assert.Equal(whole.ModelId, streamed.ModelId);
        Assert.True(whole.Text.Length > 0 || Calls(whole).Count > 0);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task Stream_WithIncludeUsage_EndsWithUsageChunkAndDone(string model)
    {
        _server.Upstream.Enqueue(ScriptedTurn.Call(("call_A", "search_database", """{"query":"widgets"}""")) with { Text = "Checking." });
        using var http = _server.Http();

        using var response = await http.PostAsync("chat/completions", new StringContent(
            $$$$"""{"model":"{{{{model}}}}","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Go."}],"tools":[{"type":"function","function":{"name":"search_database","parameters":{"type":"object"}}}]}""",
            Encoding.UTF8,
            "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        var call = chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?[0]).First(c => c?["id"] is not null)!;
        Assert.Equal("call_A", call["id"]!.GetValue<string>());
        Assert.Equal(0, call["index"]!.GetValue<int>());
        Assert.Equal("tool_calls", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal(12, chunks[^1]["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.All(chunks[..^1], c => Assert.Null(c["usage"]));
    }

    [Fact]
    public async Task NamedToolChoice_WithoutParallelCalls_ReachesClaudeAsAnthropicToolChoice()
    {
        _server.Upstream.Enqueue(ScriptedTurn.Call(("call_A", "search_database", """{"query":"x"}""")));

        await _server.Chat(CompatClients.Claude).CompleteChatAsync(
            [new UserChatMessage("Search.")],
            new ChatCompletionOptions { Tools = { SearchTool }, ToolChoice = ChatToolChoice.CreateFunctionChoice("search_database"), AllowParallelToolCalls = false, MaxOutputTokenCount = 300 });

        var choice = _server.Upstream.Requests.Single()["tool_choice"]!;
        Assert.Equal("tool", choice["type"]!.GetValue<string>());
        Assert.Equal("search_database", choice["name"]!.GetValue<string>());
        Assert.True(choice["disable_parallel_tool_use"]!.GetValue<bool>());
        Assert.Equal(300, _server.Upstream.Requests.Single()["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task ResponseFormatAndToolChoice_ReachGptAsSent()
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("""{"count":3}"""));

        await _server.Chat(CompatClients.Gpt).CompleteChatAsync(
            [new UserChatMessage("Count.")],
            new ChatCompletionOptions
            {
                Tools = { SearchTool },
                ToolChoice = ChatToolChoice.CreateRequiredChoice(),
                AllowParallelToolCalls = false,
                ResponseFormat = OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat("count", BinaryData.FromString("""{"type":"object","properties":{"count":{"type":"integer"}}}""")),
            });

        var sent = _server.Upstream.Requests.Single();
        Assert.Equal("required", sent["tool_choice"]!.GetValue<string>());
        Assert.False(sent["parallel_tool_calls"]!.GetValue<bool>());
        Assert.Equal("json_schema", sent["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("count", sent["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(CompatClients.Claude, "length", null, "Length")]
    [InlineData(CompatClients.Claude, "stop", "###", "Stop")]
    [InlineData(CompatClients.Claude, "content_filter", null, "ContentFilter")]
    [InlineData(CompatClients.Gpt, "length", null, "Length")]
    public async Task FinishReasons_MapFromEachProvider(string model, string finishReason, string? stopSequence, string expected)
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("Partial") with { FinishReason = finishReason, StopSequence = stopSequence });

        ChatCompletion completion = await _server.Chat(model).CompleteChatAsync([new UserChatMessage("Go.")]);

        Assert.Equal(expected, completion.FinishReason.ToString());
    }

    [Theory]
    [InlineData(CompatClients.Claude, 429, "rate_limit_error", 429, "rate_limit_exceeded")]
    [InlineData(CompatClients.Claude, 529, "overloaded_error", 503, "overloaded")]
    [InlineData(CompatClients.Claude, 400, "invalid_request_error", 400, null)]
    [InlineData(CompatClients.Gpt, 500, "server_error", 500, null)]
    [InlineData(CompatClients.Gpt, 429, "rate_limit_exceeded", 429, "rate_limit_exceeded")]
    public async Task UpstreamFailure_IsAnsweredInOpenAIsEnvelope(string model, int upstreamStatus, string upstreamType, int status, string? code)
    {
        _server.Upstream.Enqueue(new ScriptedTurn { Status = upstreamStatus, ErrorType = upstreamType });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _server.Chat(model).CompleteChatAsync([new UserChatMessage("Go.")]));

        Assert.Equal(status, error.Status);
        var body = JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal(code, body["code"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"model":"nope-1","messages":[{"role":"user","content":"hi"}]}""", 404, "model", "model_not_found")]
    [InlineData("""{"model":"gpt-4o","n":2,"messages":[{"role":"user","content":"hi"}]}""", 400, "n", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","messages":[]}""", 400, "messages", "empty_array")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"wizard","content":"hi"}]}""", 400, "messages[0].role", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","bogus":1,"messages":[{"role":"user","content":"hi"}]}""", 400, "bogus", "unknown_parameter")]
    public async Task InvalidRequest_IsRefusedWithParamAndNothingSentUpstream(string body, int status, string param, string code)
    {
        using var http = _server.Http();

        using var response = await http.PostAsync("chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Empty(_server.Upstream.Paths);
    }

    [Fact]
    public async Task FailureAfterTheStreamStarted_IsAnErrorDataEvent()
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("Hello there friend") with { FailMidStream = "overloaded_error" });
        using var http = _server.Http();

        using var response = await http.PostAsync("chat/completions", new StringContent(
            """{"model":"claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"Go."}]}""", Encoding.UTF8, "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.Equal("overloaded", JsonNode.Parse(events[^2]["data: ".Length..])!["error"]!["code"]!.GetValue<string>());
    }

    private static List<string> Calls(ChatResponse response) =>
        [.. response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => $"{c.CallId} {c.Name} {System.Text.Json.JsonSerializer.Serialize(c.Arguments)}")];
}
