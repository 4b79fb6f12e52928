using System.ClientModel;
using System.Text.Json;
using AgentHost.Core.Containers;
using AgentHost.Core.Errors;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Containers;

namespace AgentHost.Server.Tests.Containers;

/// <summary><c>expires_after</c> counts from <c>last_active_at</c>; the background sweep (on the injected clock) expires idle containers.</summary>
public sealed class ContainerExpiryTests
{
    [Fact]
    public async Task AnIdleContainer_ExpiresAfterItsMinutes_LosesItsFiles_AndRefusesUse_WhileAnActiveOneLives()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AgentHostServer.StartAsync(
            b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
            new() { ["AgentHost:Containers:SweepInterval"] = "00:00:10" });
        var client = server.Containers();
        var policy = new ContainerExpirationPolicy { Anchor = ContainerExpirationPolicyAnchor.LastActiveAt, Duration = TimeSpan.FromMinutes(1) };
        ContainerResource idle = await client.CreateContainerAsync(new ContainerCreationOptions("idle") { ExpirationPolicy = policy });
        ContainerResource active = await client.CreateContainerAsync(new ContainerCreationOptions("active") { ExpirationPolicy = policy });
        await server.UploadContainerFileAsync(idle.Id, "a.txt", "x"u8.ToArray());

        clock.Advance(TimeSpan.FromSeconds(40));
        await server.UploadContainerFileAsync(active.Id, "b.txt", "y"u8.ToArray()); // activity moves last_active_at
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        var expired = await Eventually.ReturnsAsync(async () => (await client.GetContainerAsync(idle.Id)).Value, c => c.Status == "expired", "the idle container to expire");
        ContainerResource stillActive = await client.GetContainerAsync(active.Id);
        var files = await client.GetContainerFilesAsync(new ContainerFileCollectionOptions(idle.Id)).ToListAsync();
        using var http = server.Http();
        using var form = new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "late.txt" } };
        using var refused = await http.PostAsync($"containers/{idle.Id}/files", form);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        var acquire = await Assert.ThrowsAsync<ApiException>(() => server.Services.GetRequiredService<ContainerService>().AcquireAsync(idle.Id, CancellationToken.None));

        Assert.Equal("expired", expired.Status);
        Assert.Equal("running", stillActive.Status);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds() - 30, stillActive.LastActiveAt!.Value.ToUnixTimeSeconds());
        Assert.Empty(files);
        Assert.False(Directory.Exists(Path.Combine(server.DataDir, "containers", idle.Id)));
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal("container_expired", error.GetProperty("code").GetString());
        Assert.Equal("container_expired", acquire.Code);

        // Deleting an expired container still works, as the original allows.
        Assert.True((await client.DeleteContainerAsync(idle.Id)).Value.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetContainerAsync(idle.Id))).Status);
    }
}
