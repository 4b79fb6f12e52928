namespace AgentHost.Core.Tools.SubAssistants;

/// <summary>
/// A sub-assistant call as its step records it (under <c>"assistant"</c>): which assistant, the task, the child thread
/// and run, how the run ended, and its answer or error.
/// </summary>
public sealed record SubAssistantCall
{
    public required string AssistantId { get; init; }

    /// <summary>The function name the model called.</summary>
    public required string Name { get; init; }

    public required string Task { get; init; }

    public string? ThreadId { get; init; }

    public string? RunId { get; init; }

    public string? Status { get; init; }

    /// <summary>The child's final answer, when it completed.</summary>
    public string? Output { get; init; }

    /// <summary>Why the call has no answer: refused, or the child failed, timed out or was cancelled.</summary>
    public string? Error { get; init; }
}
