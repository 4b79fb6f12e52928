using AgentHost.Core.Tools;
using AgentHost.Core.Tools.AgentToolset;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>The <c>agent_toolset_20260401</c> tool source of Managed Agents sessions (bash and the file tools in a container).</summary>
public static class AgentToolsetHosting
{
    public static IServiceCollection AddAgentToolset(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentToolsetOptions>()
            .Bind(configuration.GetSection(AgentToolsetOptions.SectionName))
            .Validate(o => o.BashTimeout > TimeSpan.Zero && o.MaxBashTimeout >= o.BashTimeout,
                "AgentHost:AgentToolset: BashTimeout must be positive and at most MaxBashTimeout, e.g. BashTimeout 00:02:00, MaxBashTimeout 00:10:00.")
            .Validate(o => o.BashOutputBytes >= 1024 && o.ReadOutputBytes >= 1024 && o.GlobLimit >= 1 && o.GrepLimit >= 1,
                "AgentHost:AgentToolset: BashOutputBytes and ReadOutputBytes must be at least 1024, GlobLimit and GrepLimit at least 1.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentToolsetOptions>>().Value);
        services.AddSingleton<AgentToolsetSource>();
        services.AddSingleton<IToolSource>(sp => sp.GetRequiredService<AgentToolsetSource>());
        return services;
    }
}
