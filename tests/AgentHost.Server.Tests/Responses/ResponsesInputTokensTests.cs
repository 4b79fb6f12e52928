using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Responses;

/// <summary><c>POST /v1/responses/input_tokens</c>: Claude counts its own input through <c>count_tokens</c>; other models get the o200k estimate.</summary>
public sealed class ResponsesInputTokensTests
{
    [Fact]
    public async Task InputTokens_OnClaude_IsTheUpstreamsOwnCount_OfTheConversationInItsShapes()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.CountedTokens = 321;
        using var http = server.Http();

        var body = """
            {"model":"MODEL","instructions":"Be brief.","input":[{"role":"user","content":"Tell me a joke."}],
             "tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}
            """.Replace("MODEL", CompatClients.Claude, StringComparison.Ordinal);
        var answer = JsonNode.Parse(await (await http.PostAsync("responses/input_tokens", JsonBody.Of(body))).Content.ReadAsStringAsync())!;

        Assert.Equal("response.input_tokens", (string?)answer["object"]);
        Assert.Equal(321, (int)answer["input_tokens"]!);
        var sent = server.Upstream.Requests.Last();
        Assert.Equal("Be brief.", (string?)sent["system"]);
        Assert.Equal("Tell me a joke.", (string?)sent["messages"]![0]!["content"]![0]!["text"]);
        Assert.Equal("get_weather", (string?)sent["tools"]![0]!["name"]);
        Assert.Equal("object", (string?)sent["tools"]![0]!["input_schema"]!["type"]);
    }

    [Fact]
    public async Task InputTokens_OnAnOpenAIModel_IsTheO200kEstimate_WithoutAnUpstreamCall()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var answer = JsonNode.Parse(await (await http.PostAsync("responses/input_tokens", JsonBody.Of("""{"model":"gpt-4o","input":"Tell me a joke."}"""))).Content.ReadAsStringAsync())!;

        // "Tell me a joke." is 5 o200k tokens, plus 3 of message framing.
        Assert.Equal(8, (int)answer["input_tokens"]!);
        Assert.Empty(server.Upstream.Requests);
    }
}
