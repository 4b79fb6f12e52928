using AgentHost.Core.Domain;

namespace AgentHost.Agents;

/// <summary>
/// Application code around a session's function calls and turns. Before-call hooks run in order after the permission
/// check; the first that does not allow decides (a rewrite feeds its arguments to the next hook).
/// </summary>
public sealed record AgentHooks
{
    /// <summary>Asked before each function call: allow, deny with a reason, rewrite the arguments, or ask.</summary>
    public IReadOnlyList<Func<ToolCallRequest, CancellationToken, ValueTask<ToolCallDecision>>> BeforeToolCall { get; init; } = [];

    /// <summary>Told each function call's output; returning a string replaces the output the model reads.</summary>
    public IReadOnlyList<Func<ToolCallRequest, string, CancellationToken, ValueTask<string?>>> AfterToolCall { get; init; } = [];

    /// <summary>Told when a turn stops: ended (any final status) or paused waiting for a decision.</summary>
    public IReadOnlyList<Func<ThreadRun, CancellationToken, ValueTask>> OnStop { get; init; } = [];
}
