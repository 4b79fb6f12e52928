using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>
/// The <c>mcp</c> tool on the Responses API against the reference server <c>server-everything</c>, over streamable
/// HTTP through the official OpenAI .NET SDK's <see cref="ResponsesClient"/> and over stdio on the raw wire: listing,
/// calls, approvals answered by <c>mcp_approval_response</c>, streaming, and the recorded original's shapes.
/// </summary>
public sealed class ResponsesMcpToolTests
{
    private const string StdioTool = """{"type":"mcp","server_label":"everything","allowed_tools":["echo"],"require_approval":"always"}""";

    [RequiresTheory("node:mcp-servers")]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task Sdk_TheServerIsListedOnce_ItsToolsAreCalled_AndEveryResultReachesTheModel(string model)
    {
        await using var node = await McpHttpServer.StartAsync();
        await using var server = await McpServers.StartAsync(new() { ["AgentHost:Mcp:Servers:remote:Url"] = node.Url });
        server.Upstream.Enqueue(
            ScriptedTurn.Call(
                ("call_echo", "remote__echo", """{"message":"hi"}"""),
                ("call_sum", "remote__get-sum", """{"a":2,"b":3}"""),
                ("call_image", "remote__get-tiny-image", "{}"),
                ("call_bad", "remote__get-sum", """{"a":"two"}""")),
            ScriptedTurn.Say("Done."),
            ScriptedTurn.Say("Still hi."));
        var client = server.Responses();
        var tool = new McpTool("remote", new Uri(node.Url))
        {
            ServerDescription = "Test tools",
            ToolCallApprovalPolicy = new McpToolCallApprovalPolicy(DefaultMcpToolCallApprovalPolicy.NeverRequireApproval),
            AllowedTools = new McpToolFilter { ToolNames = { "echo", "get-sum", "get-tiny-image" } },
        };

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Try the tools.") },
            Tools = { tool },
        });

        Assert.Equal(ResponseStatus.Completed, response.Status);
        var list = Assert.IsType<McpToolDefinitionListItem>(response.OutputItems[0]);
        Assert.Equal("remote", list.ServerLabel);
        Assert.Equal(["echo", "get-sum", "get-tiny-image"], list.ToolDefinitions.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(list.ToolDefinitions, t => Assert.NotNull(t.InputSchema));
        Assert.Equal(["remote__echo", "remote__get-sum", "remote__get-tiny-image"], Offered(server.Upstream.Requests.First(), model).Order(StringComparer.Ordinal));

        var calls = response.OutputItems.OfType<McpToolCallItem>().ToList();
        Assert.Equal(4, calls.Count);
        Assert.Equal(("remote", "echo", "Echo: hi"), (calls[0].ServerLabel, calls[0].ToolName, calls[0].ToolOutput));
        Assert.Null(calls[0].Error);
        Assert.Equal("hi", JsonNode.Parse(calls[0].ToolArguments.ToString())!["message"]!.GetValue<string>());
        Assert.Contains("5", calls[1].ToolOutput, StringComparison.Ordinal);
        Assert.Contains("MCP logo", calls[2].ToolOutput, StringComparison.Ordinal);
        Assert.Null(calls[3].ToolOutput);
        Assert.NotNull(calls[3].Error);
        Assert.Equal("Done.", response.GetOutputText());

        // The model read every result, and saw the image as an image.
        var second = server.Upstream.Requests.ElementAt(1).ToJsonString();
        Assert.Contains("Echo: hi", second, StringComparison.Ordinal);
        Assert.Contains("iVBOR", second, StringComparison.Ordinal);

        // A continued response lists nothing again, and its model reads the earlier calls from the chain.
        ResponseResult next = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            PreviousResponseId = response.Id,
            InputItems = { ResponseItem.CreateUserMessageItem("Again?") },
            Tools = { tool },
        });

        Assert.Equal("Still hi.", next.GetOutputText());
        Assert.Empty(next.OutputItems.OfType<McpToolDefinitionListItem>());
        Assert.True(server.Upstream.Requests.Last().ToJsonString().Contains("Echo: hi", StringComparison.Ordinal), server.Upstream.Requests.Last().ToJsonString());
        ResponseResult fetched = await client.GetResponseAsync(response.Id);
        Assert.Equal(response.OutputItems.Select(i => i.Id), fetched.OutputItems.Select(i => i.Id));
    }

    [RequiresFact("node:mcp-servers")]
    public async Task Sdk_Streamed_TheSdkReadsTheListingAndCallUpdates()
    {
        await using var node = await McpHttpServer.StartAsync();
        await using var server = await McpServers.StartAsync(new() { ["AgentHost:Mcp:Servers:remote:Url"] = node.Url });
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_sum", "remote__get-sum", """{"a":2,"b":3}""")), ScriptedTurn.Say("5"));
        var client = server.Responses();
        var updates = new List<StreamingResponseUpdate>();

        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Add 2 and 3.") },
            Tools = { new McpTool("remote", new Uri(node.Url)) { ToolCallApprovalPolicy = new McpToolCallApprovalPolicy(DefaultMcpToolCallApprovalPolicy.NeverRequireApproval) } },
            StreamingEnabled = true,
        }))
        {
            updates.Add(update);
        }

        Assert.Single(updates.OfType<StreamingResponseMcpListToolsInProgressUpdate>());
        Assert.Single(updates.OfType<StreamingResponseMcpListToolsCompletedUpdate>());
        Assert.Empty(updates.OfType<StreamingResponseMcpListToolsFailedUpdate>());
        Assert.Single(updates.OfType<StreamingResponseMcpCallInProgressUpdate>());
        var done = Assert.Single(updates.OfType<StreamingResponseMcpCallArgumentsDoneUpdate>());
        Assert.Equal(string.Concat(updates.OfType<StreamingResponseMcpCallArgumentsDeltaUpdate>().Select(d => d.Delta.ToString())), done.ToolArguments.ToString());
        Assert.Equal(3, JsonNode.Parse(done.ToolArguments.ToString())!["b"]!.GetValue<int>());
        Assert.Single(updates.OfType<StreamingResponseMcpCallCompletedUpdate>());
        var call = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).OfType<McpToolCallItem>().Single();
        Assert.Contains("5", call.ToolOutput, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, updates.OfType<StreamingResponseCompletedUpdate>().Single().Response.Status);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task Sdk_RequireApprovalForATool_StopsAtTheRequest_AndTheApprovalResponseRunsIt()
    {
        await using var node = await McpHttpServer.StartAsync();
        await using var server = await McpServers.StartAsync(new() { ["AgentHost:Mcp:Servers:remote:Url"] = node.Url });
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "remote__echo", """{"message":"approved"}""")), ScriptedTurn.Say("It echoed."));
        var client = server.Responses();
        var options = new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Echo it.") },
            Tools =
            {
                new McpTool("remote", new Uri(node.Url))
                {
                    ToolCallApprovalPolicy = new McpToolCallApprovalPolicy(new CustomMcpToolCallApprovalPolicy
                    {
                        ToolsAlwaysRequiringApproval = new McpToolFilter { ToolNames = { "echo" } },
                    }),
                },
            },
        };

        ResponseResult first = await client.CreateResponseAsync(options);

        Assert.Equal(ResponseStatus.Completed, first.Status);
        Assert.Single(first.OutputItems.OfType<McpToolDefinitionListItem>());
        Assert.Empty(first.OutputItems.OfType<McpToolCallItem>());
        var request = Assert.IsType<McpToolCallApprovalRequestItem>(first.OutputItems.Last());
        Assert.Equal(("remote", "echo"), (request.ServerLabel, request.ToolName));
        Assert.Contains("approved", request.ToolArguments.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Upstream.Requests);

        options.PreviousResponseId = first.Id;
        options.InputItems.Clear();
        options.InputItems.Add(new McpToolCallApprovalResponseItem(request.Id, true));
        var answered = await client.CreateResponseAsync(options);
        ResponseResult second = answered.Value;

        Assert.Equal(ResponseStatus.Completed, second.Status);
        Assert.Empty(second.OutputItems.OfType<McpToolDefinitionListItem>());
        var call = Assert.Single(second.OutputItems.OfType<McpToolCallItem>());
        var raw = JsonNode.Parse(answered.GetRawResponse().Content.ToString())!["output"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "mcp_call")!;
        Assert.Equal(request.Id, raw["approval_request_id"]!.GetValue<string>());
        Assert.Equal("Echo: approved", call.ToolOutput);
        Assert.Equal("It echoed.", second.GetOutputText());
        Assert.Contains("Echo: approved", server.Upstream.Requests.Last().ToJsonString(), StringComparison.Ordinal);

        // A request is answered once in a chain.
        options.PreviousResponseId = second.Id;
        var again = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(options));
        Assert.Equal(400, again.Status);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task Wire_ApproveAndDeny_OnAStdioServer_AreStreamedAsCalls_AndTheModelReadsBoth()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_a", "everything__echo", """{"message":"yes"}"""), ("call_d", "everything__echo", """{"message":"no"}""")),
            ScriptedTurn.Say("One ran."));
        using var http = server.Http();

        var first = await PostAsync(http, $$"""{"model":"gpt-4o","input":"Echo twice.","tools":[{{StdioTool}}]}""");

        Assert.Equal(["mcp_list_tools", "mcp_approval_request", "mcp_approval_request"], Types(first["output"]!));
        Assert.Equal(["echo"], first["output"]![0]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(["type", "allowed_tools", "headers", "require_approval", "server_label"], first["tools"]![0]!.AsObject().Select(p => p.Key));
        var approve = first["output"]![1]!["id"]!.GetValue<string>();
        var deny = first["output"]![2]!["id"]!.GetValue<string>();
        Assert.Equal("yes", JsonNode.Parse(first["output"]![1]!["arguments"]!.GetValue<string>())!["message"]!.GetValue<string>());

        var answer = $$"""
            {"model":"gpt-4o","previous_response_id":"{{first["id"]}}","stream":true,"tools":[{{StdioTool}}],"input":[
              {"type":"mcp_approval_response","approval_request_id":"{{approve}}","approve":true},
              {"type":"mcp_approval_response","approval_request_id":"{{deny}}","approve":false,"reason":"not this one"}]}
            """;
        var events = await StreamAsync(http, answer);

        var kinds = events.Select(e => e.Event).Where(k => k.Contains("mcp", StringComparison.Ordinal) || k.StartsWith("response.output_item", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "response.output_item.added", "response.mcp_call.in_progress", "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
            "response.mcp_call.completed", "response.output_item.done",
            "response.output_item.added", "response.mcp_call.in_progress", "response.mcp_call_arguments.delta", "response.mcp_call_arguments.done",
            "response.mcp_call.failed", "response.output_item.done",
            "response.output_item.added", "response.output_item.done",
        ], kinds);
        var second = JsonNode.Parse(events[^1].Data)!["response"]!;
        Assert.Equal("completed", second["status"]!.GetValue<string>());
        Assert.Equal(["mcp_call", "mcp_call", "message"], Types(second["output"]!));
        Assert.Equal(approve, second["output"]![0]!["approval_request_id"]!.GetValue<string>());
        Assert.Equal("Echo: yes", second["output"]![0]!["output"]!.GetValue<string>());
        Assert.Equal(deny, second["output"]![1]!["approval_request_id"]!.GetValue<string>());
        Assert.Equal(403, second["output"]![1]!["error"]!["code"]!.GetValue<int>());
        Assert.Contains("not this one", second["output"]![1]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var read = server.Upstream.Requests.Last()["messages"]!.ToJsonString();
        Assert.Contains("Echo: yes", read, StringComparison.Ordinal);
        Assert.Contains("not this one", read, StringComparison.Ordinal);
        var stored = JsonNode.Parse(await http.GetStringAsync($"responses/{second["id"]}"))!;
        Assert.Equal(second["output"]!.ToJsonString(), stored["output"]!.ToJsonString());
    }

    [RequiresFact("node:mcp-servers")]
    public async Task Wire_AnApprovalAnsweredInTheSameInput_RunsTheCall_AndBadAnswersAre400s()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Echoed."));
        using var http = server.Http();
        const string Request = """{"type":"mcp_approval_request","id":"mcpr_client","server_label":"everything","name":"NAME","arguments":"{\"message\":\"direct\"}"}""";
        string Body(string request, string answer, string tool = StdioTool) =>
            $$"""{"model":"gpt-4o","tools":[{{tool}}],"input":[{"role":"user","content":"Echo."},{{request}},{{answer}}]}""";
        const string Approve = """{"type":"mcp_approval_response","approval_request_id":"mcpr_client","approve":true}""";

        var response = await PostAsync(http, Body(Request.Replace("NAME", "echo", StringComparison.Ordinal), Approve));

        var call = response["output"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "mcp_call")!;
        Assert.Equal("mcpr_client", call["approval_request_id"]!.GetValue<string>());
        Assert.Equal("Echo: direct", call["output"]!.GetValue<string>());
        Assert.Equal("Echoed.", response["output"]!.AsArray().Last()!["content"]![0]!["text"]!.GetValue<string>());

        var unknown = await ErrorAsync(http, Body(Request.Replace("NAME", "echo", StringComparison.Ordinal), Approve.Replace("mcpr_client", "mcpr_nope", StringComparison.Ordinal)));
        var notAllowed = await ErrorAsync(http, Body(Request.Replace("NAME", "get-sum", StringComparison.Ordinal), Approve));
        var notInTools = await ErrorAsync(http, Body(Request.Replace("NAME", "echo", StringComparison.Ordinal), Approve,
            """{"type":"function","name":"f","parameters":{"type":"object","properties":{}}}"""));
        var twice = await ErrorAsync(http, Body(Request.Replace("NAME", "echo", StringComparison.Ordinal), Approve + "," + Approve));
        var noFlag = await ErrorAsync(http, Body(Request.Replace("NAME", "echo", StringComparison.Ordinal), """{"type":"mcp_approval_response","approval_request_id":"mcpr_client"}"""));

        Assert.Contains("mcpr_nope", unknown, StringComparison.Ordinal);
        Assert.Contains("allowed_tools", notAllowed, StringComparison.Ordinal);
        Assert.Contains("not among this request's tools", notInTools, StringComparison.Ordinal);
        Assert.Contains("already answered", twice, StringComparison.Ordinal);
        Assert.Contains("approve", noFlag, StringComparison.Ordinal);
        Assert.Single(server.Upstream.Requests);
    }

    [RequiresFact("node:mcp-servers")]
    public async Task AServerThatCannotBeListed_IsAListingWithAnError_StreamedAsFailed_AndTheResponseGoesOn()
    {
        await using var server = await McpServers.StartAsync(new() { ["AgentHost:Mcp:AllowedUrls:0"] = "http://127.0.0.1:9/*" });
        server.Upstream.Enqueue(ScriptedTurn.Say("No tools today."));
        using var http = server.Http();

        var events = await StreamAsync(http, """
            {"model":"gpt-4o","stream":true,"input":"Hi.","tools":[{"type":"mcp","server_label":"gone","server_url":"http://127.0.0.1:9/mcp","require_approval":"never"}]}
            """);

        Assert.Contains(events, e => e.Event == "response.mcp_list_tools.failed");
        Assert.DoesNotContain(events, e => e.Event == "response.mcp_list_tools.completed");
        var response = JsonNode.Parse(events[^1].Data)!["response"]!;
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal(["mcp_list_tools", "message"], Types(response["output"]!));
        Assert.False(string.IsNullOrEmpty(response["output"]![0]!["error"]?.GetValue<string>()));
        Assert.Empty(response["output"]![0]!["tools"]!.AsArray());
        Assert.Equal(["gone__unavailable"], Offered(server.Upstream.Requests.Single(), CompatClients.Gpt));
    }

    [RequiresFact("shared", "node:mcp-servers")]
    public async Task Streamed_EventsAndItems_MatchTheRecordingInKindAndOrder_AndTheSpec()
    {
        await using var server = await McpServers.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_roll", "everything__echo", """{"message":"2d4+1"}""")), ScriptedTurn.Say("4"));
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("ResponsesToolTests", "MCPToolStreamingWorks").Single(e => e.IsStreamed).Events()
            .Where(e => e.Json is not { } json || !json.TryGetProperty("item", out var item) || item.GetProperty("type").GetString() != "reasoning")
            .ToList();

        var live = await StreamAsync(http, """
            {"model":"gpt-4o","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Roll 2d4+1"}]}],
             "tools":[{"type":"mcp","server_label":"everything","server_description":"Test tools.","require_approval":"never","allowed_tools":["echo"]}]}
            """);

        SseEventSequence.AssertSameKindAndOrder(Kinds(recorded), Kinds(live));
        Assert.Equal(Enumerable.Range(0, live.Count), live.Select(e => e.Json!.Value.GetProperty("sequence_number").GetInt32()));
        foreach (var liveEvent in live)
        {
            var schema = ResponsesSchemaNames.ForEvent(liveEvent.Event) ?? throw new Xunit.Sdk.XunitException($"No schema is known for {liveEvent.Event}.");
            var valid = OpenApiSchemaValidator.Validate(liveEvent.Json!.Value, schema).Tolerating(ResponsesSchemaNames.RecordedDeviations);
            Assert.True(valid.IsValid, $"{liveEvent.Event}: {valid}");
            var twin = recorded.First(r => r.Event == liveEvent.Event && ItemType(r) == ItemType(liveEvent));
            var missing = JsonShape.Compare(twin.Json!.Value, liveEvent.Json!.Value).Missing
                .Where(path => !path.EndsWith("obfuscation", StringComparison.Ordinal) && !path.EndsWith("tools[].server_url", StringComparison.Ordinal)
                    && !path.Contains(".input_schema.", StringComparison.Ordinal) // the server's own tool schema
                    && !path.EndsWith("output[].summary", StringComparison.Ordinal)).ToList(); // the recorded model's reasoning items
            Assert.True(missing.Count == 0, $"{liveEvent.Event} lacks {string.Join(", ", missing)}");
        }

        // The items of the final response, key for key as recorded (MCPToolWorks), and valid by the spec.
        var response = live[^1].Json!.Value.GetProperty("response");
        var original = RecordedExchanges.Load("ResponsesToolTests", "MCPToolWorks")[0].ResponseBody;
        foreach (var type in new[] { "mcp_list_tools", "mcp_call" })
        {
            var ours = response.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == type);
            var theirs = original.GetProperty("output").EnumerateArray().First(i => i.GetProperty("type").GetString() == type);
            Assert.Equal(theirs.EnumerateObject().Select(p => p.Name), ours.EnumerateObject().Select(p => p.Name));
            Assert.True(OpenApiSchemaValidator.Validate(ours, type == "mcp_call" ? "MCPToolCall" : "MCPListTools").IsValid, ours.GetRawText());
        }

        // A configured server is named by its label alone: the echo has every recorded field but the URL it was not given.
        Assert.Equal(original.GetProperty("tools")[0].EnumerateObject().Select(p => p.Name).Where(n => n != "server_url"),
            response.GetProperty("tools")[0].EnumerateObject().Select(p => p.Name));
    }

    /// <summary>The event names, with consecutive text deltas as one (a model's text arrives in any number of them).</summary>
    private static List<string> Kinds(IEnumerable<SseEvent> events)
    {
        var kinds = new List<string>();
        foreach (var name in events.Select(e => e.Event).Where(name => kinds.Count == 0 || kinds[^1] != name || name != "response.output_text.delta"))
        {
            kinds.Add(name);
        }

        return kinds;
    }

    private static string? ItemType(SseEvent sseEvent) =>
        sseEvent.Json is { } json && json.TryGetProperty("item", out var item) ? item.GetProperty("type").GetString() : null;

    private static List<string> Offered(JsonNode request, string model) => [.. request["tools"]!.AsArray()
        .Select(t => model == CompatClients.Gpt ? t!["function"]!["name"]!.GetValue<string>() : t!["name"]!.GetValue<string>())];

    private static List<string> Types(JsonNode output) => [.. output.AsArray().Select(i => i!["type"]!.GetValue<string>())];

    private static async Task<JsonNode> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("responses", JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>The message of a 400 in the OpenAI error envelope.</summary>
    private static async Task<string> ErrorAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("responses", JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        return JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>();
    }

    private static async Task<IReadOnlyList<SseEvent>> StreamAsync(HttpClient http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "responses") { Content = JsonBody.Of(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var sseEvent in SseReader.ReadEventsAsync(response, CancellationToken.None))
        {
            events.Add(sseEvent);
        }

        return events;
    }
}
