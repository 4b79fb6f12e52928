namespace AgentHost.Core.Events;

/// <summary>The model called the tool function <see cref="Name"/> (the name it saw); arguments follow.</summary>
public sealed record ToolCallStarted : ToolCallEvent
{
    public required string Name { get; init; }
}
