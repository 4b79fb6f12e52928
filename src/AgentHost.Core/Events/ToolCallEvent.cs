namespace AgentHost.Core.Events;

/// <summary>An event about one tool call, recorded as entry <see cref="Index"/> of the tool_calls step <see cref="StepId"/>.</summary>
public abstract record ToolCallEvent : AgentEvent
{
    public required string StepId { get; init; }

    public required int Index { get; init; }

    public required string CallId { get; init; }

    /// <summary>The <c>type</c> of the tool the call belongs to: <c>function</c>, <c>code_interpreter</c>, <c>file_search</c>, ….</summary>
    public required string ToolType { get; init; }
}
