namespace AgentHost.Core.Events;

/// <summary>More of a call's JSON arguments (today the engine publishes them whole, in one delta).</summary>
public sealed record ToolCallArgumentsDelta : ToolCallEvent
{
    public required string Delta { get; init; }
}
