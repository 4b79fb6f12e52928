using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Hosting;

/// <summary><c>/health/live</c> and <c>/health/ready</c>: outside the API key, the store checked, the sandbox reported.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Ready_ReportsStoreAndSandbox_WithoutTheApiKey()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = "sk-secret" });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUri, "/") };

        using var live = await http.GetAsync("health/live");
        using var ready = await http.GetAsync("health/ready");
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", JsonNode.Parse(await live.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", report["status"]!.GetValue<string>());
        Assert.Equal("ok", report["checks"]!["store"]!["status"]!.GetValue<string>());
        Assert.Contains(report["checks"]!["sandbox"]!["status"]!.GetValue<string>(), new[] { "ok", "unavailable" });
    }

    [Fact]
    public async Task Ready_WithTheSandboxMissing_StaysReadyAndSaysWhatToInstall()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Sandbox:BubblewrapPath"] = "/nonexistent/bwrap" });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUri, "/") };

        using var ready = await http.GetAsync("health/ready");
        var sandbox = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["sandbox"]!;

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("unavailable", sandbox["status"]!.GetValue<string>());
        Assert.Contains("apt-get install bubblewrap", sandbox["reason"]!.GetValue<string>());
    }
}
