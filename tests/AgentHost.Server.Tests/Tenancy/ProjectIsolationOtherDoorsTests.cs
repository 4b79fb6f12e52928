using System.ClientModel;
using System.Net;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using OpenAI.Containers;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>Responses, conversations, containers and usage through the official OpenAI SDK and raw HTTP, in two projects.</summary>
public sealed class ProjectIsolationOtherDoorsTests
{
    [Fact]
    public async Task ResponsesConversationsContainersAndUsage_StayInTheirProject()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings());
        using var admin = new TenancyAdmin(server);
        var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
        using var httpA = TenancyAdmin.Client(server, keyA);
        using var httpB = TenancyAdmin.Client(server, keyB);
        server.Upstream.Enqueue(ScriptedTurn.Say("For A."), ScriptedTurn.Say("For A again."), ScriptedTurn.Say("For B."));

        ResponseResult responseA = await server.Responses(keyA).CreateResponseAsync(CompatClients.Gpt, "Hi");
        await server.Responses(keyA).CreateResponseAsync(CompatClients.Gpt, "Again", responseA.Id);
        using var conversationCreated = await httpA.PostAsync("conversations", JsonBody("{}"));
        var conversationA = JsonDocument.Parse(await conversationCreated.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        ContainerResource containerA = await Containers(server, keyA).CreateContainerAsync(new ContainerCreationOptions("A's"));
        ResponseResult responseB = await server.Responses(keyB).CreateResponseAsync(CompatClients.Gpt, "Hi");

        var responseRefused = await Assert.ThrowsAsync<ClientResultException>(() => server.Responses(keyB).GetResponseAsync(responseA.Id));
        var chainRefused = await Assert.ThrowsAsync<ClientResultException>(() => server.Responses(keyB).CreateResponseAsync(CompatClients.Gpt, "Steal", responseA.Id));
        var deleteRefused = await Assert.ThrowsAsync<ClientResultException>(() => server.Responses(keyB).DeleteResponseAsync(responseA.Id));
        using var conversationRefused = await httpB.GetAsync($"conversations/{conversationA}");
        using var conversationDeleteRefused = await httpB.DeleteAsync($"conversations/{conversationA}");
        var containerRefused = await Assert.ThrowsAsync<ClientResultException>(() => Containers(server, keyB).GetContainerAsync(containerA.Id));
        var containerDeleteRefused = await Assert.ThrowsAsync<ClientResultException>(() => Containers(server, keyB).DeleteContainerAsync(containerA.Id));
        var containersOfB = await Containers(server, keyB).GetContainersAsync().ToListAsync();

        Assert.Equal((404, 404, 404), (responseRefused.Status, chainRefused.Status, deleteRefused.Status));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (conversationRefused.StatusCode, conversationDeleteRefused.StatusCode));
        Assert.Equal((404, 404), (containerRefused.Status, containerDeleteRefused.Status));
        Assert.Empty(containersOfB);
        Assert.Equal("For A.", (await server.Responses(keyA).GetResponseAsync(responseA.Id)).Value.GetOutputText());
        Assert.Equal(HttpStatusCode.OK, (await httpA.GetAsync($"conversations/{conversationA}")).StatusCode);
        Assert.Equal(containerA.Id, (await Containers(server, keyA).GetContainerAsync(containerA.Id)).Value.Id);

        // Usage: A made two calls, B one; each sees its own, the admin key all three.
        Assert.Equal(2, await ModelCallsAsync(httpA));
        Assert.Equal(1, await ModelCallsAsync(httpB));
        using var adminHttp = TenancyAdmin.Client(server, TenancyAdmin.AdminKey);
        Assert.Equal(3, await ModelCallsAsync(adminHttp));
        Assert.StartsWith("resp_", responseB.Id, StringComparison.Ordinal);
    }

    private static async Task<long> ModelCallsAsync(HttpClient http)
    {
        var usage = JsonDocument.Parse(await http.GetStringAsync("agenthost/usage?start_time=0")).RootElement;
        return usage.GetProperty("data").EnumerateArray().Sum(row => row.GetProperty("model_calls").GetInt64());
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static ContainerClient Containers(AgentHostServer server, string key) =>
        new(new ApiKeyCredential(key), new ContainerClientOptions { Endpoint = server.BaseUri, NetworkTimeout = TimeSpan.FromSeconds(30) });
}
