using AgentHost.Agents;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Tests.Samples;

/// <summary>The samples' inventory agent loops, each SDK against each provider, until the model ends its turn.</summary>
public sealed class InventoryAgentSampleTests : IClassFixture<CompatServerFixture>
{
    private const string Question = "How many blue widgets and gadget minis do we have?";
    private const string Answer = "12 blue widgets (Leeds) and 31 gadget minis (Lyon).";

    private readonly AgentHostServer _server;

    public InventoryAgentSampleTests(CompatServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Upstream.Requests.Clear();
        _server.Upstream.Paths.Clear();
        _server.Upstream.Enqueue(
            ScriptedTurn.Call(("toolu_1", "search_database", """{"query":"blue widget"}"""), ("toolu_2", "search_database", """{"query":"gadget mini"}""")),
            ScriptedTurn.Say(Answer));
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task AnthropicSdkSample_LoopsUntilEndTurn(string model)
    {
        using var log = new StringWriter();

        var answer = await InventoryAgent.Anthropic.InventoryAgent.RunAsync(_server.Anthropic(), model, Question, log);

        Assert.Equal(Answer, answer);
        AssertToolResultsReachedTheModel(log.ToString());
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task OpenAISdkSample_LoopsUntilStop(string model)
    {
        using var log = new StringWriter();

        var answer = await InventoryAgent.OpenAI.InventoryAgent.RunAsync(_server.Chat(model), Question, log);

        Assert.Equal(Answer, answer);
        AssertToolResultsReachedTheModel(log.ToString());
    }

    [Theory]
    [InlineData(CompatClients.Claude)]
    [InlineData(CompatClients.Gpt)]
    public async Task LibrarySample_RunsTheLoopInProcessAndSavesTheSession(string model)
    {
        using var log = new StringWriter();
        await using var services = new ServiceCollection()
            .AddAgentHostEngine()
            .AddAgentHostInMemoryStore()
            .AddAgentHostChatClient(_server.Chat(model).AsIChatClient())
            .BuildServiceProvider();

        var answer = await InventoryAgent.Library.InventoryAgent.RunAsync(services.GetRequiredService<AgentRuntime>(), model, Question, log);

        Assert.Equal(Answer, answer);
        Assert.Contains("[completed] " + Answer, log.ToString(), StringComparison.Ordinal);
        Assert.Contains("search_database({\"query\":\"gadget mini\"}) -> gadget mini: 31 in stock (Lyon)", log.ToString(), StringComparison.Ordinal);
        AssertToolResultsReachedTheModel();
    }

    private void AssertToolResultsReachedTheModel(string log)
    {
        Assert.Contains("search_database(\"gadget mini\") -> gadget mini: 31 in stock (Lyon)", log, StringComparison.Ordinal);
        AssertToolResultsReachedTheModel();
    }

    private void AssertToolResultsReachedTheModel()
    {
        Assert.Equal(2, _server.Upstream.Requests.Count);
        var second = _server.Upstream.Requests.Last().ToJsonString();
        Assert.Contains("blue widget: 12 in stock (Leeds)", second, StringComparison.Ordinal);
        Assert.Contains("gadget mini: 31 in stock (Lyon)", second, StringComparison.Ordinal);
    }
}
