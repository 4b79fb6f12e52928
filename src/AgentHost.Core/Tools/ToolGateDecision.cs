namespace AgentHost.Core.Tools;

/// <summary>What a <see cref="IToolCallGate"/> decides about a tool call before the engine runs it.</summary>
public sealed record ToolGateDecision
{
    private ToolGateDecision(ToolGateVerdict verdict, string? reason, string? arguments)
    {
        Verdict = verdict;
        Reason = reason;
        Arguments = arguments;
    }

    public ToolGateVerdict Verdict { get; }

    /// <summary>Why the call is denied; the model reads <c>Denied: {reason}</c> as its result.</summary>
    public string? Reason { get; }

    /// <summary>The JSON arguments that replace the model's, for <see cref="ToolGateVerdict.Rewrite"/>.</summary>
    public string? Arguments { get; }

    public static ToolGateDecision Allow { get; } = new(ToolGateVerdict.Allow, null, null);

    /// <summary>Nobody in process can decide: the run pauses with a <c>permission</c> approval.</summary>
    public static ToolGateDecision Ask { get; } = new(ToolGateVerdict.Ask, null, null);

    public static ToolGateDecision Deny(string reason) => new(ToolGateVerdict.Deny, reason, null);

    public static ToolGateDecision Rewrite(string arguments) => new(ToolGateVerdict.Rewrite, null, arguments);
}

/// <summary>The kinds of <see cref="ToolGateDecision"/>.</summary>
public enum ToolGateVerdict
{
    Allow,
    Deny,
    Rewrite,
    Ask,
}
