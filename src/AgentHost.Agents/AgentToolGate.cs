using AgentHost.Core.Tools;

namespace AgentHost.Agents;

/// <summary>
/// A session's <see cref="AgentPolicy"/> as the engine's gate, so the tools AgentHost runs itself (code interpreter,
/// file search, MCP servers) are decided by the same permissions and hooks as the agent's C# functions.
/// </summary>
internal sealed class AgentToolGate(AgentSession session) : IToolCallGate
{
    public async ValueTask<ToolGateDecision> BeforeAsync(ToolCallCheck call, CancellationToken cancellationToken)
    {
        var decision = await session.Policy.DecideAsync(RequestOf(call), cancellationToken);
        return decision.Kind switch
        {
            ToolCallDecisionKind.Deny => ToolGateDecision.Deny(decision.Reason ?? "denied."),
            ToolCallDecisionKind.Rewrite => ToolGateDecision.Rewrite(decision.Arguments!),
            // A sub-agent runs inside its parent's tool call and cannot pause the parent: an unanswered ask is a denial there.
            ToolCallDecisionKind.Ask when session.Depth > 0 => ToolGateDecision.Deny(SubAgentAskDenial(session.Agent.Name, call.Name)),
            ToolCallDecisionKind.Ask => ToolGateDecision.Ask,
            _ => ToolGateDecision.Allow,
        };
    }

    public async ValueTask<string?> AfterAsync(ToolCallCheck call, ToolCallView result, CancellationToken cancellationToken)
    {
        if (!session.Policy.HasAfterHooks)
        {
            return null;
        }

        var output = await session.Policy.AfterAsync(RequestOf(call), result.Output, cancellationToken);
        return output == result.Output ? null : output;
    }

    internal static string SubAgentAskDenial(string agent, string tool) =>
        $"the call to '{tool}' needs a decision, and sub-agent '{agent}' has no permission callback (Permissions.Ask) to ask.";

    private ToolCallRequest RequestOf(ToolCallCheck call) =>
        new(session.Id, call.Run.Id, call.CallId, call.Name, call.Arguments) { ToolType = call.ToolType, AgentName = session.Agent.Name, Depth = session.Depth };
}
