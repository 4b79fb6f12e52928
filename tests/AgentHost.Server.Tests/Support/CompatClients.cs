using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using OpenAI;
using OpenAI.Chat;

namespace AgentHost.Server.Tests.Support;

/// <summary>The official SDKs pointed at AgentHost, with their own retries off so an error reaches the test as sent.</summary>
public static class CompatClients
{
    public const string Claude = "claude-sonnet-4-5";
    public const string Gpt = "gpt-4o";

    public static AnthropicClient Anthropic(this AgentHostServer server, string apiKey = "any") => new()
    {
        ApiKey = apiKey,
        BaseUrl = server.BaseUri.ToString()[..^"/v1".Length],
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static ChatClient Chat(this AgentHostServer server, string model, string apiKey = "any") =>
        new OpenAIClient(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = server.BaseUri,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        }).GetChatClient(model);

    /// <summary>One attempt per model call, so a scripted upstream error is what the endpoint reports.</summary>
    public static Task<AgentHostServer> StartWithoutRetriesAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["AgentHost:Providers:Retry:MaxAttempts"] = "1" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return AgentHostServer.StartAsync(settings: all);
    }
}
