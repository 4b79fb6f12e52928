using AgentHost.Core.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Providers.Tests;

public sealed class ProvidersServiceCollectionExtensionsTests
{
    [Fact]
    public void AddAgentHostProviders_BindsTheSection_AndFillsKeysFromEnvironmentVariables()
    {
        using var services = BuildServices(new()
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-env",
            ["OPENAI_BASE_URL"] = "http://openai.test/v1",
            ["AgentHost:Providers:Aliases:gpt-4o"] = "claude-sonnet-4-5",
            ["AgentHost:Providers:Servers:ollama:BaseUrl"] = "http://ollama.test/v1",
            ["AgentHost:Providers:Servers:ollama:Models:0"] = "llama3.1",
            ["AgentHost:Providers:FallbackModel"] = "llama3.1",
            ["AgentHost:Providers:Retry:MaxAttempts"] = "2",
            ["AgentHost:Providers:Retry:AttemptTimeout"] = "00:00:30",
        });

        var options = services.GetRequiredService<IOptions<ProviderOptions>>().Value;
        var router = services.GetRequiredService<IModelRouter>();

        Assert.Equal("sk-ant-env", options.Anthropic.ApiKey);
        Assert.Equal("http://openai.test/v1", options.OpenAI.BaseUrl);
        Assert.Equal(["llama3.1"], options.Servers["ollama"].Models);
        Assert.Equal((2, TimeSpan.FromSeconds(30)), (options.Retry.MaxAttempts, options.Retry.AttemptTimeout));
        Assert.Equal("claude-sonnet-4-5", router.GetClient("gpt-4o").GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Equal("ollama.test", router.GetClient("llama3.1").GetService<ChatClientMetadata>()?.ProviderUri?.Host);
    }

    [Fact]
    public void AddAgentHostProviders_PrefersTheSectionsKeyOverTheEnvironmentVariable()
    {
        using var services = BuildServices(new()
        {
            ["OPENAI_API_KEY"] = "sk-env",
            ["AgentHost:Providers:OpenAI:ApiKey"] = "sk-section",
        });

        Assert.Equal("sk-section", services.GetRequiredService<IOptions<ProviderOptions>>().Value.OpenAI.ApiKey);
    }

    [Fact]
    public void AddAgentHostProviders_WithAServerWithoutBaseUrl_FailsValidationNamingTheKey()
    {
        using var services = BuildServices(new()
        {
            ["AgentHost:Providers:Servers:ollama:Models:0"] = "llama3.1",
            ["AgentHost:Providers:Retry:MaxAttempts"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IModelRouter>());

        Assert.Contains("AgentHost:Providers:Servers:ollama:BaseUrl is required, e.g. http://localhost:11434/v1 for Ollama.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("AgentHost:Providers:Retry:MaxAttempts must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public void AddAgentHostProviders_KeepsATimeProviderRegisteredBefore()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(time);

        using var services = collection.AddAgentHostProviders(new ConfigurationBuilder().Build()).BuildServiceProvider();

        Assert.Same(time, services.GetRequiredService<TimeProvider>());
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddAgentHostProviders(configuration).BuildServiceProvider();
    }
}
