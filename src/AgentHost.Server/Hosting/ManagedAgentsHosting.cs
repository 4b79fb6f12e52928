using AgentHost.Core.Engine;
using AgentHost.Server.ManagedAgents;

namespace AgentHost.Server.Hosting;

/// <summary>Claude Managed Agents: the sessions' turns on the engine, their history and permission gate, and the services behind the routes.</summary>
public static class ManagedAgentsHosting
{
    public static IServiceCollection AddManagedAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagedAgentsOptions>().Bind(configuration.GetSection("AgentHost:ManagedAgents"));
        services.AddSingleton<SessionCompaction>();
        services.AddSingleton<HostPackages>();
        services.AddSingleton<SessionRecords>();
        services.AddSingleton<SessionEventLog>();
        services.AddSingleton<SessionPreviews>();
        services.AddSingleton<SessionTurnEnds>();
        services.AddSingleton<SessionEventRecorder>();
        services.AddSingleton<SessionToolGate>();
        services.AddSingleton<SessionGates>();
        services.AddSingleton<SessionTurns>();
        services.AddSingleton<SessionCreation>();
        services.AddSingleton<IRunHistory, SessionHistory>();
        return services;
    }
}
