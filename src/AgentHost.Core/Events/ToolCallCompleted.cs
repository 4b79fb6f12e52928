namespace AgentHost.Core.Events;

/// <summary>A tool call the engine ran itself finished: its arguments and the output the model reads back.</summary>
public sealed record ToolCallCompleted : ToolCallEvent
{
    public required string Name { get; init; }

    public required string Arguments { get; init; }

    public required string Output { get; init; }

    /// <summary>True when <see cref="Output"/> reports a failure the model should see as one.</summary>
    public bool IsError { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>The call as its source recorded it in the step, so a front door renders it without reading the step back.</summary>
    public Domain.StepToolCall? Record { get; init; }
}
