namespace AgentHost.Server.ManagedAgents;

/// <summary>Claude Managed Agents (<c>managed-agents-2026-04-01</c>): agents, environments, sessions, their events and resources (docs/managed-agents.md).</summary>
internal static class ManagedAgentsEndpoints
{
    public static IEndpointRouteBuilder MapManagedAgentsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").AddEndpointFilter<ManagedAgentsFilter>();
        AgentEndpoints.Map(group);
        EnvironmentEndpoints.Map(group);
        SessionEndpoints.Map(group);
        return app;
    }
}
