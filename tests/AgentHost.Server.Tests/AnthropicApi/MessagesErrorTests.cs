using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace AgentHost.Server.Tests.AnthropicApi;

/// <summary>The Messages API's error envelope, status codes and <c>request-id</c>, whichever provider failed; and token counting.</summary>
public sealed class MessagesErrorTests : IClassFixture<CompatServerFixture>
{
    private readonly AgentHostServer _server;

    public MessagesErrorTests(CompatServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Upstream.Requests.Clear();
        _server.Upstream.Paths.Clear();
    }

    [Theory]
    [InlineData(CompatClients.Claude, 429, "rate_limit_error", 429, "rate_limit_error")]
    [InlineData(CompatClients.Claude, 529, "overloaded_error", 529, "overloaded_error")]
    [InlineData(CompatClients.Claude, 400, "invalid_request_error", 400, "invalid_request_error")]
    [InlineData(CompatClients.Claude, 404, "not_found_error", 404, "not_found_error")]
    [InlineData(CompatClients.Gpt, 429, "rate_limit_exceeded", 429, "rate_limit_error")]
    [InlineData(CompatClients.Gpt, 503, "server_error", 529, "overloaded_error")]
    [InlineData(CompatClients.Gpt, 500, "server_error", 500, "api_error")]
    [InlineData(CompatClients.Gpt, 401, "invalid_api_key", 500, "api_error")]
    public async Task UpstreamFailure_IsAnsweredInAnthropicsEnvelope(string model, int upstreamStatus, string upstreamType, int status, string type)
    {
        _server.Upstream.Enqueue(new ScriptedTurn { Status = upstreamStatus, ErrorType = upstreamType });

        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => _server.Anthropic().Messages.Create(Hello(model)));

        Assert.Equal(status, (int)error.StatusCode);
        var body = JsonNode.Parse(error.ResponseBody)!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal(type, body["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith("req_", body["request_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(body["request_id"]!.GetValue<string>(), error.RequestID);
    }

    [Fact]
    public async Task UnknownModel_Is404NotFoundError()
    {
        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => _server.Anthropic().Messages.Create(Hello("mystery-model")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("\"not_found_error\"", error.ResponseBody, StringComparison.Ordinal);
        Assert.Empty(_server.Upstream.Paths);
    }

    [Theory]
    [InlineData("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [InlineData("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[]}""", "messages: List should have at least 1 item")]
    [InlineData("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"video"}]}]}""", "messages.0.content.0.type")]
    [InlineData("""{"model":"claude-sonnet-4-5","max_tokens":10,"temperature":3,"messages":[{"role":"user","content":"hi"}]}""", "temperature: Input should be between 0 and 1")]
    [InlineData("""{"model":"claude-sonnet-4-5","max_tokens":10,"frobnicate":true,"messages":[{"role":"user","content":"hi"}]}""", "frobnicate: Extra inputs are not permitted")]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"lone \ud800"}]}""", "'messages[0].content'")]
    public async Task InvalidRequest_Is400WithRequestIdAndNothingSentUpstream(string body, string message)
    {
        using var http = _server.Http();

        using var response = await http.PostAsync("messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Contains(message, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(response.Headers.GetValues("request-id").Single(), error["request_id"]!.GetValue<string>());
        Assert.Empty(_server.Upstream.Paths);
    }

    [Theory]
    [InlineData(CompatClients.Claude, "overloaded_error")]
    [InlineData(CompatClients.Gpt, "api_error")]
    public async Task FailureAfterTheStreamStarted_IsAnErrorEvent(string model, string type)
    {
        _server.Upstream.Enqueue(ScriptedTurn.Say("Hello there friend") with { FailMidStream = "overloaded_error" });
        using var http = _server.Http();

        using var response = await http.PostAsync("messages", new StringContent(
            $$$"""{"model":"{{{model}}}","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Go."}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("event: message_start", body, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"Hello\"", body, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var lastEvent = body.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: error\ndata: ", lastEvent, StringComparison.Ordinal);
        Assert.Equal(type, JsonNode.Parse(lastEvent["event: error\ndata: ".Length..])!["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);

        var sdkStream = _server.Anthropic().Messages.CreateStreaming(Hello(model));
        _server.Upstream.Enqueue(ScriptedTurn.Say("Hello there friend") with { FailMidStream = "overloaded_error" });
        await Assert.ThrowsAnyAsync<AnthropicException>(async () => await sdkStream.Aggregate());
    }

    [Fact]
    public async Task ApiKey_WhenConfigured_IsRequiredAsXApiKeyAndRefusedWithAuthenticationError()
    {
        await using var server = await CompatClients.StartWithoutRetriesAsync(new() { ["AgentHost:ApiKey"] = "sk-agenthost" });

        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => server.Anthropic("wrong").Messages.Create(Hello(CompatClients.Claude)));
        var message = await server.Anthropic("sk-agenthost").Messages.Create(Hello(CompatClients.Claude));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("\"authentication_error\"", error.ResponseBody, StringComparison.Ordinal);
        Assert.NotNull(error.RequestID);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
    }

    [Fact]
    public async Task CountTokens_BehindAnthropic_IsForwardedUpstream()
    {
        _server.Upstream.CountedTokens = 57;

        var count = await _server.Anthropic().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = CompatClients.Claude,
            Messages = [new UserMessageParam("How many tokens is this?")],
            Tools = [MessagesTests.SearchToolDefinition()],
        });

        Assert.Equal(57, count.InputTokens);
        Assert.Equal("/v1/messages/count_tokens", Assert.Single(_server.Upstream.Paths));
        Assert.Equal("search_database", _server.Upstream.Requests.Single()["tools"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CountTokens_BehindOtherProviders_IsEstimatedLocally()
    {
        var client = _server.Anthropic();

        var small = await client.Messages.CountTokens(new MessageCountTokensParams { Model = CompatClients.Gpt, Messages = [new UserMessageParam("Hi")] });
        var large = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = CompatClients.Gpt,
            Messages = [new UserMessageParam(string.Join(' ', Enumerable.Repeat("inventory", 200)))],
            Tools = [MessagesTests.SearchToolDefinition()],
        });

        Assert.InRange(small.InputTokens, 1, 20);
        Assert.True(large.InputTokens > small.InputTokens + 200, $"{large.InputTokens} vs {small.InputTokens}");
        Assert.Empty(_server.Upstream.Paths);
    }

    private static MessageCreateParams Hello(string model) => new()
    {
        Model = model,
        MaxTokens = 64,
        Messages = [new UserMessageParam("Hello")],
    };
}
