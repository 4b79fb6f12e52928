using System.Net;
using System.Net.Http.Headers;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Tests.Http;

/// <summary>No key on a reachable address is refused at start; /metrics is behind the key unless made public.</summary>
public sealed class NetworkExposureTests
{
    [Fact]
    public async Task NonLoopbackAddressWithoutKey_RefusesToStart_SayingHowToFixIt()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => AgentHostServer.StartAsync(settings: new() { ["urls"] = "http://0.0.0.0:0" }));

        Assert.Contains("http://0.0.0.0:0", failure.Message);
        Assert.Contains("AgentHost:ApiKey", failure.Message);
        Assert.Contains("AgentHost:Http:AllowRemoteWithoutKey", failure.Message);
    }

    [Theory]
    [InlineData("AgentHost:ApiKey", "sk-secret")]
    [InlineData("AgentHost:Http:AllowRemoteWithoutKey", "true")]
    public async Task NonLoopbackAddress_StartsWithAKeyOrWhenAllowed(string setting, string value)
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["urls"] = "http://0.0.0.0:0", [setting] = value });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.BaseUri.Port}/") };
        using var live = await http.GetAsync("health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Metrics_NeedTheKey_UnlessMadePublic()
    {
        await using var guarded = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = "sk-secret" });
        await using var open = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = "sk-secret", ["AgentHost:Http:PublicMetrics"] = "true" });
        using var http = new HttpClient();

        using var refused = await http.GetAsync(new Uri(guarded.BaseUri, "/metrics"));
        using var keyed = new HttpRequestMessage(HttpMethod.Get, new Uri(guarded.BaseUri, "/metrics"));
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-secret");
        using var served = await http.SendAsync(keyed);
        using var servedOpen = await http.GetAsync(new Uri(open.BaseUri, "/metrics"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, servedOpen.StatusCode);
        Assert.Contains("agenthost_runs", await servedOpen.Content.ReadAsStringAsync());
    }
}
