namespace AgentHost.Core.Storage;

/// <summary>A conversation (Conversations API) as the store keeps it: its id and project, and the front door's JSON of the rest.</summary>
public sealed record StoredConversation
{
    public required string Id { get; init; }

    public string Project { get; init; } = ProjectScope.ForWrite;

    /// <summary>The front door's JSON of the conversation (created_at, metadata).</summary>
    public required string Data { get; init; }
}
