namespace AgentHost.Agents;

/// <summary>
/// Which function calls run without asking: all, only those named (allow-list), all but those named (deny-list), or
/// none (every call is asked). A call that is not allowed is denied with a reason the model sees, unless the mode is
/// <see cref="PermissionMode.AskEveryCall"/>, which asks <see cref="Ask"/> or, with no callback, pauses the turn.
/// </summary>
public sealed record ToolPermissions
{
    /// <summary>Every call runs (hooks still see each one).</summary>
    public static ToolPermissions AllowAll { get; } = new();

    /// <summary>How calls are checked.</summary>
    public PermissionMode Mode { get; init; } = PermissionMode.AllowAll;

    /// <summary>The function names of the allow-list or deny-list.</summary>
    public IReadOnlySet<string> Names { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Asked for each call that needs a decision; null pauses the turn until <see cref="AgentSession.ContinueAsync"/>.</summary>
    public Func<ToolCallRequest, CancellationToken, ValueTask<ToolCallDecision>>? Ask { get; init; }

    /// <summary>Only <paramref name="names"/> may run.</summary>
    public static ToolPermissions AllowOnly(params string[] names) => new() { Mode = PermissionMode.AllowList, Names = names.ToHashSet(StringComparer.Ordinal) };

    /// <summary>Everything but <paramref name="names"/> may run.</summary>
    public static ToolPermissions DenyOnly(params string[] names) => new() { Mode = PermissionMode.DenyList, Names = names.ToHashSet(StringComparer.Ordinal) };

    /// <summary>Every call is decided by <paramref name="ask"/>, or pauses the turn when it is null.</summary>
    public static ToolPermissions AskEveryCall(Func<ToolCallRequest, CancellationToken, ValueTask<ToolCallDecision>>? ask) => new() { Mode = PermissionMode.AskEveryCall, Ask = ask };

    internal ToolCallDecision Check(ToolCallRequest call) => Mode switch
    {
        PermissionMode.AllowList when !Names.Contains(call.Name) => ToolCallDecision.Deny($"The tool '{call.Name}' is not on this agent's allow-list."),
        PermissionMode.DenyList when Names.Contains(call.Name) => ToolCallDecision.Deny($"The tool '{call.Name}' is on this agent's deny-list."),
        PermissionMode.AskEveryCall => ToolCallDecision.Ask,
        _ => ToolCallDecision.Allow,
    };
}

/// <summary>How <see cref="ToolPermissions"/> checks calls.</summary>
public enum PermissionMode
{
    /// <summary>Every call may run.</summary>
    AllowAll,

    /// <summary>Only the named functions may run.</summary>
    AllowList,

    /// <summary>All but the named functions may run.</summary>
    DenyList,

    /// <summary>Every call is asked.</summary>
    AskEveryCall,
}
