using AgentHost.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Tenancy;

/// <summary>Registers the key checks and the caller resolution; the stores register <see cref="Core.Tenancy.IProjectStore"/>.</summary>
internal static class ProjectsHosting
{
    public static IServiceCollection AddProjects(this IServiceCollection services)
    {
        services.AddOptions<AgentHostOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentHostOptions>, AuthOptionsValidator>());
        services.AddSingleton<CallerResolver>();
        return services;
    }
}
