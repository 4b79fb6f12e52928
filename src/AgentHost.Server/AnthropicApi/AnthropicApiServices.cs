namespace AgentHost.Server.AnthropicApi;

/// <summary>Registers what the Messages API keeps between requests: its threads (their store comes with the storage).</summary>
internal static class AnthropicApiServices
{
    public static IServiceCollection AddAnthropicApi(this IServiceCollection services)
    {
        services.AddSingleton<MessageThreads>();
        return services;
    }
}
