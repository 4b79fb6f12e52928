namespace AgentHost.Core.Files;

/// <summary>An uploaded or generated file: the <c>file</c> object of <c>/v1/files</c>. Its bytes live outside the database.</summary>
public sealed record StoredFile
{
    public required string Id { get; init; }
    public string Object { get; init; } = "file";
    public required long Bytes { get; init; }
    public required long CreatedAt { get; init; }

    /// <summary>Sent as null when unset, as the original did.</summary>
    public long? ExpiresAt { get; init; }

    public required string Filename { get; init; }
    public required string Purpose { get; init; }
    public string Status { get; init; } = "processed";
    public string? StatusDetails { get; init; }
}
