using AgentHost.Core.Errors;

namespace AgentHost.Server.ManagedAgents;

/// <summary>The Managed Agents features AgentHost does not offer (yet): each is refused with a 400 naming it.</summary>
internal static class Unsupported
{
    public static ApiException Feature(string parameter, string feature, string why) =>
        ApiException.Invalid($"'{parameter}': {feature} {why}", parameter, "unsupported_feature");

    public static ApiException MemoryStores(string parameter) =>
        Feature(parameter, "memory stores", "are not supported by AgentHost yet; give the agent files as session resources instead.");

    public static ApiException Vaults(string parameter) =>
        Feature(parameter, "vaults", "are not supported by AgentHost yet; configure MCP server credentials on the host (AgentHost:Mcp:Servers).");

    public static ApiException MultiAgent(string parameter) =>
        Feature(parameter, "multi-agent session threads (multiagent, coordinators, sub-agents)", "are not supported by AgentHost yet.");

    public static ApiException Skills(string parameter) =>
        Feature(parameter, "skills", "are not supported by AgentHost yet.");

    public static ApiException Outcomes(string parameter) =>
        Feature(parameter, "outcomes (user.define_outcome)", "are not supported by AgentHost yet.");
}
