using AgentHost.Core.Models;
using AgentHost.Providers;
using AgentHost.Providers.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ProvidersServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelRouter"/>, configured from the <c>AgentHost:Providers</c> section. The root keys
    /// <c>ANTHROPIC_API_KEY</c>, <c>ANTHROPIC_BASE_URL</c>, <c>OPENAI_API_KEY</c> and <c>OPENAI_BASE_URL</c>
    /// (environment variables, in a default host) fill in what the section leaves unset.
    /// </summary>
    public static IServiceCollection AddAgentHostProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ProviderOptions>()
            .Configure(options =>
            {
                configuration.GetSection(ProviderOptions.SectionName).Bind(options);
                options.Anthropic.ApiKey = FirstSet(options.Anthropic.ApiKey, configuration["ANTHROPIC_API_KEY"]);
                options.Anthropic.BaseUrl = FirstSet(options.Anthropic.BaseUrl, configuration["ANTHROPIC_BASE_URL"]);
                options.OpenAI.ApiKey = FirstSet(options.OpenAI.ApiKey, configuration["OPENAI_API_KEY"]);
                options.OpenAI.BaseUrl = FirstSet(options.OpenAI.BaseUrl, configuration["OPENAI_BASE_URL"]);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProviderOptions>, ProviderOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelRouter, ModelRouter>();
        return services;
    }

    private static string? FirstSet(string? configured, string? environment) =>
        string.IsNullOrWhiteSpace(configured) ? (string.IsNullOrWhiteSpace(environment) ? null : environment) : configured;
}
