using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// Reasoning on the Responses API: Claude's thinking (with its signature) and an OpenAI-wire reasoning model's effort and
/// reasoning tokens; reasoning items and their stream events; the signed thinking going back to Claude in a tool-use
/// continuation, by <c>previous_response_id</c> and by <c>encrypted_content</c> with <c>store: false</c>.
/// </summary>
public sealed class ResponsesReasoningTests
{
    private const string Thought = "The user wants the weather, so I call the tool.";
    private const string WeatherTool = """{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    [Fact]
    public async Task ClaudeThinking_IsAReasoningItemBeforeTheMessage_WithSummaryAndEncryptedContent_AndTheEffortReachesClaude()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Fold the bottom up first.") with { Thinking = Thought });
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Claude,
            InputItems = { ResponseItem.CreateUserMessageItem("How do I fold a burrito?") },
            ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.High, ReasoningSummaryVerbosity = ResponseReasoningSummaryVerbosity.Auto },
        });

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(2, response.OutputItems.Count);
        var reasoning = Assert.IsType<ReasoningResponseItem>(response.OutputItems[0]);
        Assert.StartsWith("rs_", reasoning.Id, StringComparison.Ordinal);
        Assert.Equal(Thought, reasoning.GetSummaryText());
        Assert.False(string.IsNullOrEmpty(reasoning.EncryptedContent));
        Assert.DoesNotContain(Thought, reasoning.EncryptedContent, StringComparison.Ordinal);
        Assert.Equal("Fold the bottom up first.", response.GetOutputText());

        // The effort and the summary reach Claude as adaptive thinking at that effort, shown in summary.
        var sent = server.Upstream.Requests.Single();
        Assert.Equal("adaptive", (string?)sent["thinking"]?["type"]);
        Assert.Equal("high", (string?)sent["output_config"]?["effort"]);

        // A later read shows the same item; its encrypted_content only when include[] asks for it.
        using var http = server.Http();
        var fetched = JsonNode.Parse(await http.GetStringAsync($"responses/{response.Id}"))!;
        var item = fetched["output"]![0]!;
        Assert.Equal(reasoning.Id, (string?)item["id"]);
        Assert.Equal(["id", "type", "summary"], item.AsObject().Select(p => p.Key));
        var included = JsonNode.Parse(await http.GetStringAsync($"responses/{response.Id}?include[]=reasoning.encrypted_content"))!;
        Assert.NotNull((string?)included["output"]![0]!["encrypted_content"]);
    }

    [Fact]
    public async Task WithoutASummaryAsked_TheReasoningItemHasAnEmptySummary()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Done.") with { Thinking = Thought });
        using var http = server.Http();

        var response = await PostAsync(http, $$$"""{"model":"{{{CompatClients.Claude}}}","input":"Hi","reasoning":{"effort":"low"}}""");

        var item = response["output"]![0]!.AsObject();
        Assert.Equal("reasoning", (string?)item["type"]);
        Assert.Empty(item["summary"]!.AsArray());
        Assert.NotNull((string?)item["encrypted_content"]);
        Assert.Equal("low", (string?)server.Upstream.Requests.Single()["output_config"]?["effort"]);
    }

    [Fact]
    public async Task StreamedThinking_EmitsTheReasoningItemAndSummaryEvents_InOrder_BeforeTheMessage()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Fold the bottom up first.") with { Thinking = Thought });
        using var http = server.Http();

        var events = await StreamAsync(http, $$$"""{"model":"{{{CompatClients.Claude}}}","input":"How?","stream":true,"reasoning":{"effort":"medium","summary":"detailed"}}""");

        var kinds = events.Select(e => (string)e["type"]!).ToList();
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
             "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done", "response.output_item.added"],
            kinds.Take(9));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => (int)e["sequence_number"]!));
        var reasoningId = (string)events[2]["item"]!["id"]!;
        Assert.All(events.Skip(3).Take(4), e => Assert.Equal(reasoningId, (string?)e["item_id"]));
        Assert.Equal(Thought, string.Concat(events.Where(e => (string)e["type"]! == "response.reasoning_summary_text.delta").Select(e => (string)e["delta"]!)));
        Assert.Equal(Thought, (string?)events[5]["text"]);
        var done = events[7]["item"]!;
        Assert.Equal(Thought, (string?)done["summary"]![0]!["text"]);
        Assert.NotNull((string?)done["encrypted_content"]);
        Assert.Equal(1, (int)events[8]["output_index"]!);
        Assert.Equal("message", (string?)events[8]["item"]!["type"]);

        // The completed response lists the same items as the stream.
        var completed = events[^1]["response"]!;
        Assert.Equal("response.completed", (string?)events[^1]["type"]);
        Assert.Equal(reasoningId, (string?)completed["output"]![0]!["id"]);
    }

    [Fact]
    public async Task ToolUseContinuation_ByPreviousResponseId_SendsTheSignedThinkingBackToClaude()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_1", "get_weather", """{"city":"Oslo"}""")) with { Thinking = Thought }, ScriptedTurn.Say("Sunny."));
        using var http = server.Http();

        var first = await PostAsync(http, $$$"""{"model":"{{{CompatClients.Claude}}}","input":"Weather in Oslo?","tools":[{{{WeatherTool}}}],"reasoning":{"effort":"medium"}}""");
        Assert.Equal(["reasoning", "function_call"], first["output"]!.AsArray().Select(i => (string?)i!["type"]));
        var second = await PostAsync(http, $$$"""
            {"model":"{{{CompatClients.Claude}}}","previous_response_id":"{{{first["id"]}}}","tools":[{{{WeatherTool}}}],"reasoning":{"effort":"medium"},
             "input":[{"type":"function_call_output","call_id":"toolu_1","output":"sunny"}]}
            """);

        Assert.Equal("Sunny.", (string?)second["output"]!.AsArray().Last()!["content"]![0]!["text"]);
        AssertSignedThinkingBeforeToolUse(server.Upstream.Requests.Last());
    }

    [Fact]
    public async Task RedactedThinking_GoesBackToClaudeAsARedactedBlock_BeforeTheSignedThinking()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_1", "get_weather", """{"city":"Oslo"}""")) with { RedactedThinking = "EncryptedByAnthropic==", Thinking = Thought },
            ScriptedTurn.Say("Sunny."));
        using var http = server.Http();

        var first = await PostAsync(http, $$$"""{"model":"{{{CompatClients.Claude}}}","input":"Weather in Oslo?","tools":[{{{WeatherTool}}}],"reasoning":{"effort":"medium"}}""");
        await PostAsync(http, $$$"""
            {"model":"{{{CompatClients.Claude}}}","previous_response_id":"{{{first["id"]}}}","tools":[{{{WeatherTool}}}],"reasoning":{"effort":"medium"},
             "input":[{"type":"function_call_output","call_id":"toolu_1","output":"sunny"}]}
            """);

        var assistant = server.Upstream.Requests.Last()["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray();
        Assert.Equal(["redacted_thinking", "thinking", "tool_use"], assistant.Select(b => (string?)b!["type"]));
        Assert.Equal("EncryptedByAnthropic==", (string?)assistant[0]!["data"]);
        Assert.Equal(AnthropicTurns.Signature, (string?)assistant[1]!["signature"]);
    }

    [Fact]
    public async Task StoreFalse_ReasoningPassedBackWithItsEncryptedContent_SendsTheSignedThinkingBack_AndAnAlteredOneIsRefused()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_1", "get_weather", """{"city":"Oslo"}""")) with { Thinking = Thought }, ScriptedTurn.Say("Sunny."));
        using var http = server.Http();

        var first = await PostAsync(http, $$$"""
            {"model":"{{{CompatClients.Claude}}}","store":false,"include":["reasoning.encrypted_content"],"input":"Weather in Oslo?","tools":[{{{WeatherTool}}}],"reasoning":{"effort":"medium"}}
            """);
        var output = first["output"]!.AsArray();
        var reasoning = output[0]!.AsObject();
        var sealedContent = (string)reasoning["encrypted_content"]!;
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"responses/{first["id"]}")).StatusCode);

        // Altered: one character of the sealed payload changed. Refused, naming the item's field, and nothing reaches the model.
        var altered = reasoning.DeepClone().AsObject();
        altered["encrypted_content"] = sealedContent[..^3] + (sealedContent[^3] == 'A' ? 'B' : 'A') + sealedContent[^2..];
        using var refused = await http.PostAsync("responses", JsonBody.Of(Continuation(altered, output[1]!)));
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("input[1].encrypted_content", (string?)error["param"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Single(server.Upstream.Requests);

        var second = await PostAsync(http, Continuation(reasoning, output[1]!));
        Assert.Equal("completed", (string?)second["status"]);
        AssertSignedThinkingBeforeToolUse(server.Upstream.Requests.Last());
    }

    [Fact]
    public async Task OpenAIReasoningModel_GetsTheEffort_AndItsReasoningTokensAreCounted()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("42.") with { CompletionTokens = 30, ReasoningTokens = 24 });
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "o3",
            InputItems = { ResponseItem.CreateUserMessageItem("The answer?") },
            ReasoningOptions = new ResponseReasoningOptions { ReasoningEffortLevel = ResponseReasoningEffortLevel.High },
        });

        Assert.Equal("high", (string?)server.Upstream.Requests.Single()["reasoning_effort"]);
        Assert.Equal(24, response.Usage.OutputTokenDetails.ReasoningTokenCount);
        Assert.Equal(30, response.Usage.OutputTokenCount);
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
    }

    [Fact]
    public async Task ReasoningEffortOnAModelThatTakesNone_IsNotSent()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Hi."));
        using var http = server.Http();

        var response = await PostAsync(http, """{"model":"gpt-4o","input":"Hi","reasoning":{"effort":"high"}}""");

        Assert.Equal("completed", (string?)response["status"]);
        Assert.Null(server.Upstream.Requests.Single()["reasoning_effort"]);
    }

    private static string Continuation(JsonNode reasoning, JsonNode call) => new JsonObject
    {
        ["model"] = CompatClients.Claude,
        ["store"] = false,
        ["tools"] = new JsonArray(JsonNode.Parse(WeatherTool)),
        ["reasoning"] = new JsonObject { ["effort"] = "medium" },
        ["input"] = new JsonArray(
            new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = "Weather in Oslo?" },
            reasoning.DeepClone(),
            call.DeepClone(),
            new JsonObject { ["type"] = "function_call_output", ["call_id"] = "toolu_1", ["output"] = "sunny" }),
    }.ToJsonString();

    /// <summary>The assistant turn that called the tool goes back to Claude as its thinking block, with its signature, then the tool use.</summary>
    private static void AssertSignedThinkingBeforeToolUse(JsonObject request)
    {
        var assistant = request["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray();
        Assert.Equal(["thinking", "tool_use"], assistant.Select(b => (string?)b!["type"]));
        Assert.Equal(Thought, (string?)assistant[0]!["thinking"]);
        Assert.Equal(AnthropicTurns.Signature, (string?)assistant[0]!["signature"]);
        Assert.Equal("toolu_1", (string?)assistant[1]!["id"]);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("responses", JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    private static async Task<List<JsonObject>> StreamAsync(HttpClient http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "responses") { Content = JsonBody.Of(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<JsonObject>();
        await foreach (var sseEvent in SseReader.ReadEventsAsync(response, CancellationToken.None))
        {
            events.Add(JsonNode.Parse(sseEvent.Json!.Value.GetRawText())!.AsObject());
        }

        return events;
    }
}
