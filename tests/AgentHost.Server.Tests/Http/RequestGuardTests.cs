using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Http;

/// <summary>What a web page the operator visits cannot make AgentHost do: rebinding, cross-site and preflight-free requests.</summary>
public sealed class RequestGuardTests : IAsyncLifetime
{
    private AgentHostServer _server = null!;

    public async Task InitializeAsync() => _server = await AgentHostServer.StartAsync(settings: new()
    {
        ["AgentHost:Http:AllowedHosts:0"] = "agenthost.internal",
        ["AgentHost:Http:CorsOrigins:0"] = "https://app.example.com",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ForeignHost_IsRefused_AndNothingIsCreated()
    {
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "assistants") { Content = JsonBody.Of("""{"model":"gpt-4o"}""") };
        request.Headers.Host = "rebound.attacker.example";

        using var response = await http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("host_not_allowed", error["code"]!.GetValue<string>());
        Assert.Contains("AgentHost:Http:AllowedHosts", error["message"]!.GetValue<string>());
        Assert.Equal(0, await CountAssistantsAsync(http));
    }

    [Theory]
    [InlineData("agenthost.internal")]
    [InlineData("localhost")]
    [InlineData("10.1.2.3:8080")]
    [InlineData("[::1]:8080")]
    public async Task ConfiguredLoopbackAndIpHosts_AreServed(string host)
    {
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "assistants");
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CrossSiteOrigin_IsRefused_InTheOpenAIEnvelope()
    {
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "assistants") { Content = JsonBody.Of("""{"model":"gpt-4o"}""") };
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("origin_not_allowed", error["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAssistantsAsync(http));
    }

    [Fact]
    public async Task SameOriginAndConfiguredOrigin_AreServed_AndPreflightIsAnswered()
    {
        using var http = _server.Http();
        using var same = new HttpRequestMessage(HttpMethod.Post, "assistants") { Content = JsonBody.Of("""{"model":"gpt-4o"}""") };
        same.Headers.Add("Origin", $"{_server.BaseUri.Scheme}://{_server.BaseUri.Authority}");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "assistants");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var sameResponse = await http.SendAsync(same);
        using var preflightResponse = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.OK, sameResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("https://app.example.com", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task TextPlainBody_IsRefusedWith415_AndNothingIsCreated()
    {
        using var http = _server.Http();

        using var response = await http.PostAsync("assistants", new StringContent("""{"model":"gpt-4o"}""", Encoding.UTF8, "text/plain"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Contains("application/json", error["message"]!.GetValue<string>());
        Assert.Equal(0, await CountAssistantsAsync(http));
    }

    [Fact]
    public async Task TextPlainBody_OnMessages_IsAnAnthropicError()
    {
        using var http = _server.Http();

        using var response = await http.PostAsync("messages", new StringContent(
            """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "text/plain"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Empty(_server.Upstream.Requests);
    }

    [Fact]
    public async Task Console_IsServedWithAContentSecurityPolicyThatForbidsFraming()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.BaseUri, "/") };

        using var response = await http.GetAsync("console/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static async Task<int> CountAssistantsAsync(HttpClient http) =>
        JsonNode.Parse(await http.GetStringAsync("assistants"))!["data"]!.AsArray().Count;
}
