using AgentHost.Providers.Tests.TestSupport;
using AgentHost.Providers.Tests.Upstream;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Routing;

/// <summary>OpenAI-compatible servers (Ollama, vLLM) reached over HTTP through the OpenAI SDK.</summary>
public sealed class CompatibleServerTests : UpstreamTests
{
    [Theory]
    [InlineData("llama3.1", "llama3.1")]
    [InlineData("ollama:qwen2.5:7b", "qwen2.5:7b")]
    [InlineData("gpt-4o", "llama3.1")]
    public async Task GetResponse_SendsTheServedModelNameToTheServersPath(string model, string sentModel)
    {
        UseRouter(o =>
        {
            var ollama = new CompatibleServerOptions { BaseUrl = Upstream.BaseUrl + "/ollama/v1" };
            ollama.Models.Add("llama3.1");
            o.Servers["ollama"] = ollama;
            o.Aliases["gpt-4o"] = "ollama:llama3.1";
        });
        Upstream.Enqueue(OpenAIWire.Completion(OpenAIWire.AssistantText("Local."), "stop", OpenAIWire.Usage(3, 1), model: sentModel));

        var response = await Router.GetClient(model).GetResponseAsync(Question);

        Assert.Equal("Local.", response.Text);
        var request = Assert.Single(Upstream.Requests);
        Assert.Equal("/ollama/v1/chat/completions", request.Path);
        Assert.Equal(sentModel, request.Model);
    }

    [Fact]
    public async Task GetResponse_WithAServerApiKey_SendsItAsABearerToken()
    {
        UseRouter(o => o.Servers["vllm"] = new CompatibleServerOptions { BaseUrl = Upstream.BaseUrl + "/vllm/v1", ApiKey = "vllm-secret" });
        Upstream.Enqueue(OpenAIWire.Completion(OpenAIWire.AssistantText("ok"), "stop", OpenAIWire.Usage(3, 1)));

        await Router.GetClient("vllm:meta-llama/Llama-3.1-8B-Instruct").GetResponseAsync(Question);

        var request = Assert.Single(Upstream.Requests);
        Assert.Equal("Bearer vllm-secret", request.Header("Authorization"));
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", request.Model);
    }
}
