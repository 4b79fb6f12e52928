namespace AgentHost.Agents;

/// <summary>
/// The permissions and hooks that decide a session's tool calls: its agent's, after those of every agent it is a
/// sub-agent of (outermost first), so a parent's rules hold for its sub-agents' calls too.
/// </summary>
internal sealed class AgentPolicy(IReadOnlyList<Agent> chain)
{
    /// <summary>The agents whose rules apply, outermost first; the last is the one making the calls.</summary>
    public IReadOnlyList<Agent> Chain { get; } = chain;

    /// <summary>A sub-agent's policy: this one's rules, then <paramref name="child"/>'s.</summary>
    public AgentPolicy Then(Agent child) => new([.. Chain, child]);

    /// <summary>
    /// Decides <paramref name="call"/>: each agent's permission check, then its before-hooks (a rewrite feeds the next
    /// hook and agent); an <c>ask</c> goes to that agent's callback, else to the nearest enclosing agent's. The first
    /// deny, or an ask nobody answers, decides.
    /// </summary>
    public async ValueTask<ToolCallDecision> DecideAsync(ToolCallRequest call, CancellationToken cancellationToken)
    {
        var original = call.Arguments;
        for (var level = 0; level < Chain.Count; level++)
        {
            var agent = Chain[level];
            var decision = agent.Permissions.Check(call);
            if (decision.Kind == ToolCallDecisionKind.Allow)
            {
                foreach (var hook in agent.Hooks.BeforeToolCall)
                {
                    var said = await hook(call, cancellationToken);
                    if (said.Kind == ToolCallDecisionKind.Rewrite)
                    {
                        call = call with { Arguments = said.Arguments! };
                        continue;
                    }

                    if (said.Kind != ToolCallDecisionKind.Allow)
                    {
                        decision = said;
                        break;
                    }
                }
            }

            if (decision.Kind == ToolCallDecisionKind.Ask && AskerFrom(level) is { } ask)
            {
                decision = await ask(call, cancellationToken);
            }

            switch (decision.Kind)
            {
                case ToolCallDecisionKind.Deny or ToolCallDecisionKind.Ask:
                    return decision;
                case ToolCallDecisionKind.Rewrite:
                    call = call with { Arguments = decision.Arguments! };
                    break;
            }
        }

        return call.Arguments == original ? ToolCallDecision.Allow : ToolCallDecision.Rewrite(call.Arguments);
    }

    /// <summary>Runs every agent's after-hooks, the calling agent's first, so an enclosing agent sees the final output.</summary>
    public async ValueTask<string> AfterAsync(ToolCallRequest call, string output, CancellationToken cancellationToken)
    {
        for (var level = Chain.Count - 1; level >= 0; level--)
        {
            foreach (var hook in Chain[level].Hooks.AfterToolCall)
            {
                output = await hook(call, output, cancellationToken) ?? output;
            }
        }

        return output;
    }

    /// <summary>True when any agent of the chain has after-hooks.</summary>
    public bool HasAfterHooks => Chain.Any(a => a.Hooks.AfterToolCall.Count > 0);

    private Func<ToolCallRequest, CancellationToken, ValueTask<ToolCallDecision>>? AskerFrom(int level)
    {
        for (var i = level; i >= 0; i--)
        {
            if (Chain[i].Permissions.Ask is { } ask)
            {
                return ask;
            }
        }

        return null;
    }
}
