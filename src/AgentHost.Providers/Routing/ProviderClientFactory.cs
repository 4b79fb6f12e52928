using System.ClientModel;
using System.ClientModel.Primitives;
using AgentHost.Core.Models;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentHost.Providers.Routing;

/// <summary>
/// Builds the SDK chat client for a <see cref="ModelTarget"/>. The SDKs' own retries are off (we retry
/// uniformly in <see cref="Resilience.ResilientChatClient"/>), and every SDK shares one <see cref="HttpClient"/>.
/// </summary>
internal sealed class ProviderClientFactory
{
    // Local servers usually ignore the key, but the OpenAI SDK refuses an empty one.
    private const string PlaceholderApiKey = "unused";

    private readonly ProviderOptions _options;
    private readonly HttpClient _http;
    private readonly AnthropicClient? _anthropic;
    private readonly OpenAIClient? _openAI;
    private readonly Dictionary<string, OpenAIClient> _servers = new(StringComparer.OrdinalIgnoreCase);

    public ProviderClientFactory(ProviderOptions options, HttpClient http)
    {
        _options = options;
        _http = http;
        if (!string.IsNullOrWhiteSpace(options.Anthropic.ApiKey))
        {
            _anthropic = CreateAnthropic(options.Anthropic.ApiKey, options.Anthropic.BaseUrl);
        }

        if (!string.IsNullOrWhiteSpace(options.OpenAI.ApiKey))
        {
            _openAI = CreateOpenAI(options.OpenAI.ApiKey, options.OpenAI.BaseUrl);
        }

        foreach (var (name, server) in options.Servers)
        {
            var key = string.IsNullOrWhiteSpace(server.ApiKey) ? PlaceholderApiKey : server.ApiKey;
            _servers[name] = CreateOpenAI(key, server.BaseUrl);
        }
    }

    public bool HasAnthropic => _anthropic is not null;

    public bool HasOpenAI => _openAI is not null;

    public IChatClient Create(ModelTarget target) => target.Provider switch
    {
        ProviderNames.Anthropic => (_anthropic ?? throw MissingKey(target, "ANTHROPIC_API_KEY", "Anthropic"))
            .AsIChatClient(target.Model, _options.Anthropic.DefaultMaxTokens),
        ProviderNames.OpenAI => (_openAI ?? throw MissingKey(target, "OPENAI_API_KEY", "OpenAI"))
            .GetChatClient(target.Model).AsIChatClient(),
        _ => _servers[target.Provider].GetChatClient(target.Model).AsIChatClient(),
    };

    private AnthropicClient CreateAnthropic(string apiKey, string? baseUrl) => new()
    {
        // An explicit key stops the SDK reading credentials from the environment; configuration already did that.
        ApiKey = apiKey,
        BaseUrl = string.IsNullOrWhiteSpace(baseUrl) ? EnvironmentUrl.Production : baseUrl,
        HttpClient = _http,
        MaxRetries = 0,
        Timeout = _options.Retry.AttemptTimeout,
    };

    private OpenAIClient CreateOpenAI(string apiKey, string? baseUrl)
    {
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = _options.Retry.AttemptTimeout,
            Transport = new HttpClientPipelineTransport(_http),
        };
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            options.Endpoint = new Uri(baseUrl);
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey), options);
    }

    private static ModelUnavailableException MissingKey(ModelTarget target, string variable, string provider) =>
        new($"Model '{target.Model}' is served by {provider}, but no {provider} API key is configured."
            + $" Set the {variable} environment variable, or AgentHost:Providers:{provider}:ApiKey.");
}
