namespace AgentHost.Core.Files;

/// <summary>One part of an upload; its bytes live in the data directory until the upload completes or is cancelled.</summary>
public sealed record UploadPart
{
    public required string Id { get; init; }
    public string Object { get; init; } = "upload.part";
    public required long CreatedAt { get; init; }
    public required string UploadId { get; init; }
}
