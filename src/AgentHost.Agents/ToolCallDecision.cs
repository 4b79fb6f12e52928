namespace AgentHost.Agents;

/// <summary>What a hook or permission check decides about a function call.</summary>
public sealed record ToolCallDecision
{
    private ToolCallDecision(ToolCallDecisionKind kind, string? reason, string? arguments)
    {
        Kind = kind;
        Reason = reason;
        Arguments = arguments;
    }

    /// <summary>Allow, deny, rewrite or ask.</summary>
    public ToolCallDecisionKind Kind { get; }

    /// <summary>Why a call is denied; the model reads it as the call's result.</summary>
    public string? Reason { get; }

    /// <summary>The JSON arguments that replace the model's, for <see cref="ToolCallDecisionKind.Rewrite"/>.</summary>
    public string? Arguments { get; }

    /// <summary>Run the call as the model made it.</summary>
    public static ToolCallDecision Allow { get; } = new(ToolCallDecisionKind.Allow, null, null);

    /// <summary>Ask the application (<see cref="ToolPermissions.Ask"/>), or pause the turn when it has no callback.</summary>
    public static ToolCallDecision Ask { get; } = new(ToolCallDecisionKind.Ask, null, null);

    /// <summary>Do not run the call; the model reads <paramref name="reason"/> as its result and carries on.</summary>
    public static ToolCallDecision Deny(string reason) => new(ToolCallDecisionKind.Deny, reason, null);

    /// <summary>Run the call with <paramref name="arguments"/> (a JSON object) instead of the model's arguments.</summary>
    public static ToolCallDecision Rewrite(string arguments) => new(ToolCallDecisionKind.Rewrite, null, arguments);
}

/// <summary>The kinds of <see cref="ToolCallDecision"/>.</summary>
public enum ToolCallDecisionKind
{
    /// <summary>Run the call.</summary>
    Allow,

    /// <summary>Refuse the call with a reason.</summary>
    Deny,

    /// <summary>Run the call with other arguments.</summary>
    Rewrite,

    /// <summary>Someone outside must decide.</summary>
    Ask,
}
