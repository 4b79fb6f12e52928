using AgentHost.Core.Containers;
using AgentHost.Server.Containers;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>Containers (<c>/v1/containers</c>): live sandbox sessions, the service the code interpreter of responses uses, and the expiry sweep.</summary>
public static class ContainerHosting
{
    public static IServiceCollection AddContainers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContainerOptions>().Bind(configuration.GetSection(ContainerOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ContainerOptions>>().Value);
        services.AddSingleton<ContainerSessions>();
        services.AddSingleton<ContainerService>();
        services.AddHostedService<ContainerSweeper>();
        return services;
    }

    public static WebApplication MapContainerEndpoints(this WebApplication app)
    {
        ContainerEndpoints.MapContainerEndpoints(app);
        return app;
    }
}
