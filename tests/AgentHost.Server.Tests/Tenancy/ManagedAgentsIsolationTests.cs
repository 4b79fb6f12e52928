using System.Text.Json.Nodes;
using AgentHost.Server.Tests.ManagedAgents;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>Managed Agents in two projects through the pinned Anthropic SDK: project B's key finds none of project A's agents, environments or sessions.</summary>
public sealed class ManagedAgentsIsolationTests
{
    [RequiresFact("node:anthropic-sdk")]
    public async Task AnotherProjectsKey_Gets404ForEveryAgentEnvironmentAndSession_AndListsNone()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings());
        using var admin = new TenancyAdmin(server);
        var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));

        var result = await ManagedAgentsSdk.RunAsync(server, "isolation", new JsonObject { ["model"] = CompatClients.Claude, ["keyA"] = keyA, ["keyB"] = keyB });

        var refused = result["refused"]!.AsObject();
        Assert.Equal(12, refused.Count);
        foreach (var (operation, error) in refused)
        {
            Assert.True(error is not null, $"{operation}: project B's key was not refused.");
            Assert.True(error!["status"]!.GetValue<int>() == 404, $"{operation}: {error.ToJsonString()}");
            Assert.Equal("not_found_error", error["type"]!.GetValue<string>());
        }

        Assert.Empty(result["listedByB"]!["agents"]!.AsArray());
        Assert.Empty(result["listedByB"]!["environments"]!.AsArray());
        Assert.Empty(result["listedByB"]!["sessions"]!.AsArray());
        Assert.Equal("A only", result["stillA"]!["agent"]!.GetValue<string>());
        Assert.Equal("a-sandbox", result["stillA"]!["environment"]!.GetValue<string>());
        Assert.Equal("idle", result["stillA"]!["session"]!.GetValue<string>());
        Assert.Equal([result["ids"]!["session"]!.GetValue<string>()], result["stillA"]!["sessions"]!.AsArray().Select(s => s!.GetValue<string>()));
    }
}
