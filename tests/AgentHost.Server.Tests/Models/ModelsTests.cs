using System.ClientModel;
using System.Net;
using AgentHost.Server.Tests.Support;
using Anthropic.Exceptions;
using OpenAI;
using OpenAI.Models;

namespace AgentHost.Server.Tests.Models;

/// <summary><c>GET /v1/models</c> in each vendor's shape, read by each vendor's SDK.</summary>
public sealed class ModelsTests(CompatServerFixture fixture) : IClassFixture<CompatServerFixture>
{
    private readonly AgentHostServer _server = fixture.Server;

    [Fact]
    public async Task OpenAISdk_ListsAndGetsConfiguredModels()
    {
        var client = new OpenAIClient(new ApiKeyCredential("any"), new OpenAIClientOptions { Endpoint = _server.BaseUri }).GetOpenAIModelClient();

        OpenAIModelCollection models = await client.GetModelsAsync();
        OpenAIModel model = await client.GetModelAsync(CompatClients.Claude);
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("nope-1"));

        Assert.Contains(models, m => m.Id == CompatClients.Gpt);
        Assert.Contains(models, m => m.Id == CompatClients.Claude);
        Assert.Equal(CompatClients.Claude, model.Id);
        Assert.Equal("agenthost", model.OwnedBy);
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task AnthropicSdk_ListsAndRetrievesConfiguredModels()
    {
        var client = _server.Anthropic();

        var page = await client.Models.List();
        var model = await client.Models.Retrieve(CompatClients.Gpt);
        var missing = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => client.Models.Retrieve("nope-1"));

        Assert.Contains(page.Items, m => m.ID == CompatClients.Claude);
        Assert.Contains(page.Items, m => m.ID == CompatClients.Gpt);
        Assert.Equal(CompatClients.Gpt, model.DisplayName);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("\"not_found_error\"", missing.ResponseBody, StringComparison.Ordinal);
    }
}
