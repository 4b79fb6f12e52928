namespace AgentHost.Core.Domain;

/// <summary>A conversation: an ordered list of messages that runs read and append to.</summary>
public sealed record AssistantThread
{
    public required string Id { get; init; }
    public string Object { get; init; } = "thread";
    public required long CreatedAt { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty.Metadata;
    public ToolResources ToolResources { get; init; } = new();
}
