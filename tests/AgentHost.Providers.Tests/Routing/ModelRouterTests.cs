using AgentHost.Core.Models;
using AgentHost.Providers.Routing;
using AgentHost.Providers.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Tests.Routing;

/// <summary>Routing decisions, read from the metadata of the SDK client each name lands on; nothing is sent.</summary>
public sealed class ModelRouterTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", "anthropic", "anthropic.test")]
    [InlineData("claude-3-5-haiku-latest", "anthropic", "anthropic.test")]
    [InlineData("gpt-4o", "openai", "openai.test")]
    [InlineData("gpt-4.1-mini", "openai", "openai.test")]
    [InlineData("chatgpt-4o-latest", "openai", "openai.test")]
    [InlineData("o1", "openai", "openai.test")]
    [InlineData("o3", "openai", "openai.test")]
    [InlineData("o3-mini", "openai", "openai.test")]
    [InlineData("o4-mini", "openai", "openai.test")]
    public void GetClient_RoutesModelFamiliesToTheirProvider(string model, string provider, string host)
    {
        using var router = CreateRouter();

        var metadata = Metadata(router.GetClient(model));

        Assert.Equal(provider, metadata.ProviderName);
        Assert.Equal(host, metadata.ProviderUri?.Host);
        Assert.Equal(model, metadata.DefaultModelId);
    }

    [Fact]
    public void GetClient_ForAnAlias_RoutesToTheAliasTarget()
    {
        using var router = CreateRouter(o => o.Aliases["gpt-4o"] = "claude-sonnet-4-5");

        var metadata = Metadata(router.GetClient("gpt-4o"));

        Assert.Equal(("anthropic", "claude-sonnet-4-5"), (metadata.ProviderName, metadata.DefaultModelId));
    }

    [Theory]
    [InlineData("llama3.1", "llama3.1")]
    [InlineData("qwen2.5:7b", "qwen2.5:7b")]
    [InlineData("ollama:mistral", "mistral")]
    [InlineData("ollama:gpt-oss:20b", "gpt-oss:20b")]
    [InlineData("local-gpt", "ollama:local-gpt")]
    public void GetClient_ForAModelOfACompatibleServer_RoutesToThatServer(string model, string servedModel)
    {
        using var router = CreateRouter(o =>
        {
            o.Servers["ollama"] = Server("http://ollama.test/v1", "llama3.1", "qwen*");
            o.Aliases["local-gpt"] = "ollama:local-gpt";
        });

        var metadata = Metadata(router.GetClient(model));

        Assert.Equal("ollama.test", metadata.ProviderUri?.Host);
        Assert.Equal(servedModel.Replace("ollama:", ""), metadata.DefaultModelId);
    }

    [Fact]
    public void GetClient_ForAModelAServerLists_PrefersTheServerOverTheBuiltInFamily()
    {
        using var router = CreateRouter(o => o.Servers["vllm"] = Server("http://vllm.test/v1", "gpt-oss-120b"));

        Assert.Equal("vllm.test", Metadata(router.GetClient("gpt-oss-120b")).ProviderUri?.Host);
    }

    [Fact]
    public void GetClient_WithAnExplicitProviderPrefix_PassesTheRestAsTheModelName()
    {
        using var router = CreateRouter();

        var metadata = Metadata(router.GetClient("openai:ft:gpt-4o-mini:acme::abc123"));

        Assert.Equal(("openai", "ft:gpt-4o-mini:acme::abc123"), (metadata.ProviderName, metadata.DefaultModelId));
    }

    [Fact]
    public void GetClient_ForAnUnknownModel_ThrowsSayingHowToConfigureIt()
    {
        using var router = CreateRouter();

        var error = Assert.Throws<ModelUnavailableException>(() => router.GetClient("mistral-large"));

        Assert.StartsWith("Model 'mistral-large' is not configured.", error.Message);
        Assert.Contains("AgentHost:Providers:Aliases", error.Message);
        Assert.Contains("AgentHost:Providers:Servers", error.Message);
    }

    [Fact]
    public void GetClient_ForAnAliasOfAnUnknownModel_NamesBothNames()
    {
        using var router = CreateRouter(o => o.Aliases["gpt-4o"] = "nowhere:llama");

        var error = Assert.Throws<ModelUnavailableException>(() => router.GetClient("gpt-4o"));

        Assert.StartsWith("Model 'gpt-4o' is an alias for 'nowhere:llama', which is not configured.", error.Message);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "ANTHROPIC_API_KEY", "AgentHost:Providers:Anthropic:ApiKey")]
    [InlineData("gpt-4o", "OPENAI_API_KEY", "AgentHost:Providers:OpenAI:ApiKey")]
    public void GetClient_WhenTheProviderHasNoKey_ThrowsNamingTheVariableToSet(string model, string variable, string key)
    {
        using var router = TestRouter.Create(new ProviderOptions());

        var error = Assert.Throws<ModelUnavailableException>(() => router.GetClient(model));

        Assert.Contains($"Set the {variable} environment variable, or {key}.", error.Message);
    }

    [Fact]
    public void GetClient_WhenTheFallbackIsUnavailable_ThrowsNamingTheFallback()
    {
        using var router = CreateRouter(o => o.FallbackModel = "mystery-model");

        var error = Assert.Throws<ModelUnavailableException>(() => router.GetClient("gpt-4o"));

        Assert.StartsWith("The fallback model 'mystery-model' configured for 'gpt-4o' is unavailable.", error.Message);
    }

    [Fact]
    public void GetClient_CalledAgain_ReturnsTheCachedClient()
    {
        using var router = CreateRouter();

        var first = router.GetClient("gpt-4o");

        Assert.Same(first, router.GetClient("gpt-4o"));
        Assert.NotSame(first, router.GetClient("gpt-4o-mini"));
    }

    [Fact]
    public void KnownModels_ListsAliasesServerModelsAndWellKnownModelsOfProvidersWithKeys()
    {
        var options = new ProviderOptions { Anthropic = { ApiKey = "sk-ant" } };
        options.Aliases["gpt-4o"] = "claude-sonnet-4-5";
        options.Servers["ollama"] = Server("http://ollama.test/v1", "llama3.1", "qwen*");
        using var router = TestRouter.Create(options);

        var known = router.KnownModels;

        Assert.Contains("gpt-4o", known);
        Assert.Contains("llama3.1", known);
        Assert.Contains("claude-sonnet-4-5", known);
        Assert.DoesNotContain("qwen*", known);
        Assert.DoesNotContain("o3", known);
    }

    private static ModelRouter CreateRouter(Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions
        {
            Anthropic = { ApiKey = "sk-ant", BaseUrl = "http://anthropic.test" },
            OpenAI = { ApiKey = "sk-openai", BaseUrl = "http://openai.test/v1" },
        };
        configure?.Invoke(options);
        return TestRouter.Create(options);
    }

    private static CompatibleServerOptions Server(string baseUrl, params string[] models)
    {
        var server = new CompatibleServerOptions { BaseUrl = baseUrl };
        server.Models.AddRange(models);
        return server;
    }

    private static ChatClientMetadata Metadata(IChatClient client) =>
        client.GetService<ChatClientMetadata>() ?? throw new InvalidOperationException("The client has no metadata.");
}
