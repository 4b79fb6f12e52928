using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;

namespace AgentHost.Server.Tests.Observability;

/// <summary>
/// Calls through <c>/v1/messages</c> and <c>/v1/chat/completions</c> are observed by the same pipeline as runs:
/// sessions, usage, metrics and budgets, streamed and not.
/// </summary>
public sealed class GatewayObservabilityTests
{
    [Fact]
    public async Task MessagesAndChatCompletions_InOneSession_AreListedWithTheirCosts_AndCountInUsageAndMetrics()
    {
        await using var server = await AgentHostServer.StartAsync();
        // gpt-4o: 1,000 in × $2.50 + 100 out × $10 = $0.0035; claude-sonnet-4-5: 1,000 × $3 + 100 × $15 = $0.0045.
        server.Upstream.Enqueue(
            ScriptedTurn.Say("one") with { PromptTokens = 1000, CompletionTokens = 100 },
            ScriptedTurn.Say("two") with { PromptTokens = 1000, CompletionTokens = 100 },
            ScriptedTurn.Say("three") with { PromptTokens = 1000, CompletionTokens = 100 });
        using var http = server.Http();

        var first = await http.SendAsync(Messages("claude-sonnet-4-5", stream: false, ("x-claude-code-session-id", "cc-session-1")));
        var second = await http.SendAsync(Messages("gpt-4o", stream: true, ("x-claude-code-session-id", "cc-session-1")));
        var third = await http.SendAsync(Chat("gpt-4o", stream: true, ("x-agenthost-session", "cc-session-1")));
        var lone = await http.SendAsync(Chat("gpt-4o", stream: false));

        Assert.All(new[] { first, second, third }, r => Assert.Equal("cc-session-1", r.Headers.GetValues("x-agenthost-session").Single()));
        Assert.Contains("three", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var session = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions/cc-session-1"))!;
        var calls = session["calls"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(["messages", "messages", "chat_completions"], calls.Select(c => c["entry_point"]!.GetValue<string>()));
        Assert.Equal(["claude-sonnet-4-5", "gpt-4o", "gpt-4o"], calls.Select(c => c["model"]!.GetValue<string>()));
        Assert.Equal([0.0045m, 0.0035m, 0.0035m], calls.Select(c => c["cost"]!["total_usd"]!.GetValue<decimal>()));
        Assert.All(calls, c => Assert.Equal("ok", c["status"]!.GetValue<string>()));
        Assert.Equal(0.0115m, session["cost_usd"]!.GetValue<decimal>());
        Assert.Equal(3, session["model_calls"]!.GetValue<int>());

        var loneSession = lone.Headers.GetValues("x-agenthost-session").Single();
        Assert.StartsWith("sess_", loneSession, StringComparison.Ordinal);
        var list = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions?limit=1"))!;
        Assert.Equal(loneSession, list["data"]![0]!["id"]!.GetValue<string>());
        Assert.True(list["has_more"]!.GetValue<bool>());
        var next = JsonNode.Parse(await http.GetStringAsync($"agenthost/sessions?limit=1&after={loneSession}"))!;
        Assert.Equal("cc-session-1", next["data"]![0]!["id"]!.GetValue<string>());

        var bySession = JsonNode.Parse(await http.GetStringAsync("agenthost/usage?start_time=0&group_by=session"))!["data"]!.AsArray();
        Assert.Equal(0.0115m, bySession.Single(r => r!["key"]!.GetValue<string>() == "cc-session-1")!["cost_usd"]!.GetValue<decimal>());
        var byDoor = JsonNode.Parse(await http.GetStringAsync("agenthost/usage?start_time=0&group_by=entry_point"))!["data"]!.AsArray();
        Assert.Equal([("chat_completions", 2), ("messages", 2)], byDoor.Select(r => (r!["key"]!.GetValue<string>(), r["model_calls"]!.GetValue<int>())));
        var metrics = await http.GetStringAsync(server.BaseUri.GetLeftPart(UriPartial.Authority) + "/metrics");
        Assert.Contains("agenthost_model_cost_usd_total{project=\"default\",provider=\"anthropic\",model=\"claude-sonnet-4-5\"} 0.0045", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("agenthost/sessions/no-such-session")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SessionBudget_StopsTheNextCall_With400InEachApisOwnShape_AlsoWithTracingOff(bool tracing)
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Observability:Tracing"] = tracing ? "true" : "false" });
        server.Upstream.Enqueue(ScriptedTurn.Say("spent") with { PromptTokens = 1000, CompletionTokens = 100 });
        using var http = server.Http();
        (string, string)[] headers = [("x-agenthost-session", "budgeted"), ("x-agenthost-session-budget-usd", "0.003")];

        // The first call starts within the $0.003 (its prompt is a few tokens) although its max_tokens of 32,000
        // could cost $0.32: a session budget stops a call only once what is spent plus its prompt passes it. The call
        // then spends $0.0035 (1,000 in, 100 out on gpt-4o), passing the budget, which stops every later call.
        var spent = await http.SendAsync(Request("messages", """{"model":"gpt-4o","max_tokens":32000,"messages":[{"role":"user","content":"hi"}]}""", headers));
        var messages = await http.SendAsync(Messages("gpt-4o", stream: true, headers));
        var chat = await http.SendAsync(Chat("gpt-4o", stream: false, headers));

        Assert.Equal(HttpStatusCode.OK, spent.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, messages.StatusCode);
        var anthropic = JsonNode.Parse(await messages.Content.ReadAsStringAsync())!;
        Assert.Equal("error", anthropic["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", anthropic["error"]!["type"]!.GetValue<string>());
        Assert.Contains("session budget exceeded", anthropic["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        var openai = JsonNode.Parse(await chat.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("invalid_request_error", "session_budget_exceeded"), (openai["type"]!.GetValue<string>(), openai["code"]!.GetValue<string>()));
        Assert.Contains("spent $0.0035", openai["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("over its budget of $0.003", openai["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(server.Upstream.Requests);
        if (tracing)
        {
            var trace = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions/budgeted/trace"))!;
            var overshoot = trace["spans"]![0]!["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "budget_overshoot")!;
            Assert.Contains("session budget of $0.003 was passed by $0.0005", overshoot["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StreamThatFailsMidWay_IsRecordedAsAnError_WithTheEstimatedCostOfWhatWasProduced()
    {
        await using var server = await CompatClients.StartWithoutRetriesAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("A long answer that the upstream cuts off") with { FailMidStream = "overloaded_error" });
        using var http = server.Http();

        var response = await http.SendAsync(Messages("claude-sonnet-4-5", stream: true, ("x-agenthost-session", "cut")));
        await response.Content.ReadAsStringAsync();

        var call = JsonNode.Parse(await http.GetStringAsync("agenthost/sessions/cut"))!["calls"]![0]!;
        Assert.Equal("error", call["status"]!.GetValue<string>());
        Assert.False(call["usage"]!["reported"]!.GetValue<bool>());
        Assert.True(call["usage"]!["output_tokens"]!.GetValue<int>() > 0);
        Assert.True(call["cost"]!["total_usd"]!.GetValue<decimal>() > 0m);
    }

    [Theory]
    [InlineData("messages", CompatClients.Claude)]
    [InlineData("messages", CompatClients.Gpt)]
    [InlineData("chat/completions", CompatClients.Claude)]
    [InlineData("chat/completions", CompatClients.Gpt)]
    public async Task ClientThatDisconnectsMidStream_CancelsTheUpstreamCall_AndTheCallIsRecordedWithItsEstimatedCost(string door, string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("A long answer the client will not wait for") with { StallMidStream = true });
        using var http = server.Http();
        var session = $"gone-{door.Replace('/', '-')}-{model}";
        using var request = door == "messages" ? Messages(model, stream: true, ("x-agenthost-session", session)) : Chat(model, stream: true, ("x-agenthost-session", session));

        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            // Read until the first words arrive, then go away while the upstream is still answering.
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.Contains("\"A\"", StringComparison.Ordinal))
            {
            }
        }

        await Eventually.TrueAsync(() => server.Upstream.AbortedCalls == 1, "AgentHost to cancel the upstream call");
        var call = await Eventually.ReturnsAsync(
            async () => await http.GetAsync($"agenthost/sessions/{session}") is { IsSuccessStatusCode: true } found
                ? JsonNode.Parse(await found.Content.ReadAsStringAsync())!["calls"]![0]
                : null,
            c => c!["status"]!.GetValue<string>() == "cancelled", "the cut-off call in the ledger");
        Assert.False(call!["usage"]!["reported"]!.GetValue<bool>());
        Assert.True(call["usage"]!["output_tokens"]!.GetValue<int>() > 0);
        Assert.True(call["usage"]!["input_tokens"]!.GetValue<int>() > 0);
        Assert.True(call["cost"]!["total_usd"]!.GetValue<decimal>() > 0m);
        Assert.Contains("estimated", call["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSessionHeader_Is400InTheApisShape()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var response = await http.SendAsync(Messages("gpt-4o", stream: false, ("x-agenthost-session-budget-usd", "lots")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("x-agenthost-session-budget-usd", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(server.Upstream.Requests);
    }

    private static HttpRequestMessage Messages(string model, bool stream, params (string Name, string Value)[] headers) =>
        Request("messages", $$"""{"model":"{{model}}","max_tokens":200,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""", headers);

    private static HttpRequestMessage Chat(string model, bool stream, params (string Name, string Value)[] headers) =>
        Request("chat/completions", $$"""{"model":"{{model}}","max_completion_tokens":200,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""", headers);

    private static HttpRequestMessage Request(string path, string json, (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody.Of(json) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }
}
