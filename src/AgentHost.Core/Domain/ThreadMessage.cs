namespace AgentHost.Core.Domain;

/// <summary>A message in a thread, written by the user or by an assistant during a run.</summary>
public sealed record ThreadMessage
{
    public required string Id { get; init; }
    public string Object { get; init; } = "thread.message";
    public required long CreatedAt { get; init; }
    public string? AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public string? RunId { get; init; }
    public string Status { get; init; } = MessageStatus.Completed;
    public IncompleteDetails? IncompleteDetails { get; init; }
    public long? IncompleteAt { get; init; }
    public long? CompletedAt { get; init; }
    public required string Role { get; init; }
    public IReadOnlyList<MessageContent> Content { get; init; } = [];
    public IReadOnlyList<MessageAttachment> Attachments { get; init; } = [];
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty.Metadata;

    /// <summary>The text parts joined, as models see them.</summary>
    public string Text => string.Concat(Content.Where(c => c.Text is not null).Select(c => c.Text!.Value));
}

public static class MessageStatus
{
    public const string InProgress = "in_progress";
    public const string Incomplete = "incomplete";
    public const string Completed = "completed";
}

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

public sealed record IncompleteDetails(string Reason);
