using System.Net.Http.Headers;
using System.Text.Json;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Responses;

/// <summary>Responses and Conversations objects and stream events, held to the spec's schemas and to the recorded original in kind, keys and order.</summary>
public sealed class ResponsesConformanceTests
{
    private static readonly HashSet<string> DeltaEvents = new(StringComparer.Ordinal)
    {
        "response.output_text.delta", "response.function_call_arguments.delta", "response.code_interpreter_call_code.delta", "response.reasoning_summary_text.delta",
    };

    // Keys the original sends that AgentHost does not: the anti-side-channel padding of deltas (docs/responses.md).
    private static readonly HashSet<string> NotSent = new(StringComparer.Ordinal) { "obfuscation" };

    [SharedFact]
    public async Task StreamedText_EventsMatchTheRecordingAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello! How can I assist you today?"));
        using var http = server.Http();

        var live = await StreamAsync(http, """{"model":"gpt-4o","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello, world!"}]}],"stream":true}""");

        AssertLikeRecording(RecordedExchanges.Load("ResponsesTests", "StreamingResponses").Single(e => e.IsStreamed).Events(), live);
    }

    [SharedFact]
    public async Task StreamedFunctionCall_EventsMatchTheRecordingAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "get_weather_at_location", """{"location":"San Francisco, CA"}""")));
        using var http = server.Http();

        var recorded = RecordedExchanges.Load("ResponsesTests", "FunctionCallStreamingWorks").First(e => e.IsStreamed);

        var live = await StreamAsync(http, recorded.RequestBody.GetRawText().Replace("gpt-4o-mini", "gpt-4o", StringComparison.Ordinal));

        AssertLikeRecording(recorded.Events(), live);
    }

    [RequiresFact("shared", "bwrap")]
    public async Task StreamedCodeInterpreterWithFiles_EventsMatchTheRecordingAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new Dictionary<string, string?> { ["AgentHost:Sandbox:PrewarmSession"] = "false" });
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("ResponsesToolTests", "CodeInterpreterToolStreamingWithFiles");
        using var upload = new MultipartFormDataContent { { new ByteArrayContent("x,y\n1,2\n2,4\n"u8.ToArray()), "file", "test_data.csv" }, { new StringContent("assistants"), "purpose" } };
        var fileId = JsonDocument.Parse(await (await http.PostAsync("files", upload)).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        const string load = "import pandas as pd\ndata = pd.read_csv('/mnt/data/test_data.csv')\ndata.head()";
        const string plot = "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nplt.plot(data['x'], data['y'])\nplt.show()";
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_1", "code_interpreter", new System.Text.Json.Nodes.JsonObject { ["code"] = load }.ToJsonString())),
            new ScriptedTurn { Text = "The CSV has x and y. Now the plot.", ToolCalls = [("call_2", "code_interpreter", new System.Text.Json.Nodes.JsonObject { ["code"] = plot }.ToJsonString())], FinishReason = "tool_calls" },
            ScriptedTurn.Say("Here is the plot."));
        var body = System.Text.Json.Nodes.JsonNode.Parse(recorded.Single(e => e.IsStreamed).RequestBody.GetRawText())!;
        body["model"] = "gpt-4o";
        body["tools"]![0]!["container"]!["file_ids"] = new System.Text.Json.Nodes.JsonArray(fileId);

        var live = await StreamAsync(http, body.ToJsonString());

        AssertLikeRecording(recorded.Single(e => e.IsStreamed).Events(), live);
    }

    [SharedFact]
    public async Task ResponseObjectsAndInputItems_MatchTheRecordingAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "get_weather_at_location", """{"location":"San Francisco, CA"}""")), ScriptedTurn.Say("Wear layers."));
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("ResponsesTests", "FunctionCallWorks");

        // The recorded requests, replayed with our ids.
        var first = await PostAsync(http, "responses", recorded[0].RequestBody.GetRawText().Replace("gpt-4o-mini", "gpt-4o", StringComparison.Ordinal));
        var secondBody = System.Text.Json.Nodes.JsonNode.Parse(recorded[1].RequestBody.GetRawText())!;
        secondBody["model"] = "gpt-4o";
        secondBody["previous_response_id"] = first.GetProperty("id").GetString();
        secondBody["input"]![0]!["call_id"] = "call_1";
        var second = await PostAsync(http, "responses", secondBody.ToJsonString());
        var items = JsonDocument.Parse(await http.GetStringAsync($"responses/{second.GetProperty("id").GetString()}/input_items")).RootElement;
        foreach (var (live, original) in new[] { (first, recorded[0].ResponseBody), (second, recorded[1].ResponseBody), (items, recorded[2].ResponseBody) })
        {
            AssertSameKeysInOrder(original, live);
        }

        AssertValid(first, "Response");
        AssertValid(second, "Response");
        AssertValid(items, "ResponseItemList");
    }

    [SharedFact]
    public async Task ReasoningItemWithEncryptedContent_MatchesTheRecordingAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello! How can I help you today?") with { Thinking = "A greeting; greet back." });
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("ResponsesTests", "ReasoningWithStoreDisabled")[0];

        // The recorded request (store: false, include reasoning.encrypted_content) on a Claude model that thinks.
        var live = await PostAsync(http, "responses", recorded.RequestBody.GetRawText().Replace("gpt-5-mini", "claude-sonnet-4-5", StringComparison.Ordinal));

        // The response object itself is held to the recordings elsewhere (this one adds billing, which AgentHost has not).
        AssertSameKeysInOrder(recorded.ResponseBody.GetProperty("output")[0], live.GetProperty("output")[0]);
        Assert.Equal(["reasoning", "message"], live.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        AssertValid(live, "Response");
    }

    [SharedFact]
    public async Task StreamedReasoning_EventsMatchTheRecordedReasoningItemsAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello!") with { Thinking = "A greeting; greet back." });
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("ResponsesToolTests", "MCPToolStreamingWorks").Single(e => e.IsStreamed).Events()
            .Where(e => ItemType(e) == "reasoning").ToList();

        var live = await StreamAsync(http, """{"model":"claude-sonnet-4-5","input":"Hello","stream":true,"reasoning":{"effort":"low","summary":"auto"}}""");

        Assert.Equal(Enumerable.Range(0, live.Count), live.Select(e => e.Json!.Value.GetProperty("sequence_number").GetInt32()));
        foreach (var liveEvent in live)
        {
            AssertValid(liveEvent.Json!.Value, ResponsesSchemaNames.ForEvent(liveEvent.Event) ?? throw new Xunit.Sdk.XunitException($"No schema is known for {liveEvent.Event}."));
        }

        // The reasoning item's added and done events carry what the recorded ones carry, in the same order.
        foreach (var kind in new[] { "response.output_item.added", "response.output_item.done" })
        {
            var twin = recorded.First(e => e.Event == kind).Json!.Value;
            var mine = live.First(e => e.Event == kind && ItemType(e) == "reasoning").Json!.Value;
            AssertSameKeysInOrder(twin, mine);
            AssertSameKeysInOrder(twin.GetProperty("item"), mine.GetProperty("item"));
        }
    }

    [SharedFact]
    public async Task ConversationObjectsAndItems_MatchTheRecordingAndTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("ConversationTests", "CanCreateGetUpdateAndDeleteConversation");

        var created = await PostAsync(http, "conversations", recorded[0].RequestBody.GetRawText());
        var id = created.GetProperty("id").GetString();
        var items = JsonDocument.Parse(await http.GetStringAsync($"conversations/{id}/items")).RootElement;
        var deleted = JsonDocument.Parse(await (await http.DeleteAsync($"conversations/{id}")).Content.ReadAsStringAsync()).RootElement;

        AssertSameKeysInOrder(recorded[0].ResponseBody, created);
        AssertSameKeysInOrder(recorded[^1].ResponseBody, deleted);
        AssertValid(created, "ConversationResource");
        AssertValid(items, "ConversationItemList");
    }

    private static void AssertLikeRecording(IReadOnlyList<SseEvent> recorded, IReadOnlyList<SseEvent> live)
    {
        SseEventSequence.AssertSameKindAndOrder(Collapse(recorded), Collapse(live));
        Assert.Equal(Enumerable.Range(0, live.Count), live.Select(e => e.Json!.Value.GetProperty("sequence_number").GetInt32()));
        foreach (var liveEvent in live)
        {
            var schema = ResponsesSchemaNames.ForEvent(liveEvent.Event) ?? throw new Xunit.Sdk.XunitException($"No schema is known for {liveEvent.Event}.");
            AssertValid(liveEvent.Json!.Value, schema);
            // The twin is a recorded event of the same kind, about an item of the same type where it names one.
            var twin = recorded.Where(r => r.Event == liveEvent.Event).OrderByDescending(r => ItemType(r) == ItemType(liveEvent)).First();
            var missing = JsonShape.Compare(twin.Json!.Value, liveEvent.Json!.Value).Missing.Where(path => !NotSent.Contains(path)).ToList();
            Assert.True(missing.Count == 0, $"{liveEvent.Event} lacks {string.Join(", ", missing)}");
        }
    }

    private static string? ItemType(SseEvent sseEvent) =>
        sseEvent.Json!.Value.TryGetProperty("item", out var item) && item.TryGetProperty("type", out var type) ? type.GetString() : null;

    /// <summary>The recorded object's keys appear in the live one in the same order (the live one may add AgentHost's own, e.g. cost).</summary>
    private static void AssertSameKeysInOrder(JsonElement recorded, JsonElement live)
    {
        var liveKeys = live.EnumerateObject().Select(p => p.Name).ToList();
        var recordedKeys = recorded.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(recordedKeys, liveKeys.Where(recordedKeys.Contains));
        var missing = JsonShape.Compare(recorded, live).Missing.ToList();
        Assert.True(missing.Count == 0, $"lacks {string.Join(", ", missing)}");
    }

    private static void AssertValid(JsonElement json, string schema)
    {
        var result = OpenApiSchemaValidator.Validate(json, schema).Tolerating(ResponsesSchemaNames.RecordedDeviations);
        Assert.True(result.IsValid, result.ToString());
    }

    private static List<string> Collapse(IReadOnlyList<SseEvent> events)
    {
        var kinds = new List<string>();
        foreach (var name in events.Select(e => e.Event))
        {
            if (kinds.Count == 0 || kinds[^1] != name || !DeltaEvents.Contains(name))
            {
                kinds.Add(name);
            }
        }

        return kinds;
    }

    private static async Task<IReadOnlyList<SseEvent>> StreamAsync(HttpClient http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "responses") { Content = JsonBody.Of(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<SseEvent>();
        await foreach (var sseEvent in SseReader.ReadEventsAsync(response, CancellationToken.None))
        {
            events.Add(sseEvent);
        }

        return events;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
