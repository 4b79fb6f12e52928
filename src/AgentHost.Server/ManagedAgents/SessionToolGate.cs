using AgentHost.Core.Tools;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// The permission policies of a session's agent, applied to every call of its turns through the engine's one approval
/// mechanism: <c>always_ask</c> pauses the turn with a <c>permission</c> decision (the session idles with
/// <c>requires_action</c> until a <c>user.tool_confirmation</c> allows or denies it); <c>always_allow</c> runs the call.
/// </summary>
internal sealed class SessionToolGate(SessionRecords sessions) : IToolCallGate
{
    public async ValueTask<ToolGateDecision> BeforeAsync(ToolCallCheck call, CancellationToken cancellationToken)
    {
        if (call.Run.Profile?.SessionId is not { } sessionId || await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            return ToolGateDecision.Allow;
        }

        return SessionTools.PolicyFor(session.Agent, call.ToolType, call.Name) == "always_ask" ? ToolGateDecision.Ask : ToolGateDecision.Allow;
    }

    public ValueTask<string?> AfterAsync(ToolCallCheck call, ToolCallView result, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
