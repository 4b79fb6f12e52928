using System.ClientModel;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>Two nodes on one PostgreSQL share a project's rate limit: calls made on either count against the same window.</summary>
public sealed class SharedRateLimitTests
{
    [RequiresFact("postgres")]
    public async Task TwoNodes_ShareAProjectsRequestLimit_ThroughPostgres()
    {
        var (connectionString, drop) = await TestStore.CreatePostgresSchemaAsync();
        try
        {
            var clock = RateLimitTests.Clock();
            var settings = TenancyAdmin.Settings();
            settings["ConnectionStrings:Postgres"] = connectionString;
            settings["AgentHost:ReasoningKey"] = "shared-rate-limit-test-reasoning-key";
            settings["AgentHost:RateLimits:Project:gpt-4o:RequestsPerMinute"] = "3";
            await using var nodeA = await AgentHostServer.StartAsync(b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), settings);
            await using var nodeB = await AgentHostServer.StartAsync(b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), settings);
            using var admin = new TenancyAdmin(nodeA);
            var (_, key) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));

            await nodeA.Chat(CompatClients.Gpt, key).CompleteChatAsync("1 on A");
            await nodeB.Chat(CompatClients.Gpt, key).CompleteChatAsync("2 on B");
            await nodeA.Chat(CompatClients.Gpt, key).CompleteChatAsync("3 on A");
            var refusedOnB = await Assert.ThrowsAsync<ClientResultException>(() => nodeB.Chat(CompatClients.Gpt, key).CompleteChatAsync("4 on B"));
            var refusedOnA = await Assert.ThrowsAsync<ClientResultException>(() => nodeA.Chat(CompatClients.Gpt, key).CompleteChatAsync("4 on A"));

            Assert.Equal((429, 429), (refusedOnB.Status, refusedOnA.Status));
            Assert.True(refusedOnB.GetRawResponse()!.Headers.TryGetValue("x-ratelimit-remaining-requests", out var remaining));
            Assert.Equal("0", remaining);
            Assert.Equal(3, nodeA.Upstream.Paths.Count + nodeB.Upstream.Paths.Count);
        }
        finally
        {
            await drop();
        }
    }
}
