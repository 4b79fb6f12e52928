namespace AgentHost.Core.Files;

/// <summary>A file being sent in parts (<c>/v1/uploads</c>): <c>pending</c> until completed, cancelled or expired.</summary>
public sealed record Upload
{
    public required string Id { get; init; }
    public string Object { get; init; } = "upload";
    public required long Bytes { get; init; }
    public required long CreatedAt { get; init; }
    public required string Filename { get; init; }
    public required string Purpose { get; init; }
    public string Status { get; init; } = UploadStatus.Pending;
    public required long ExpiresAt { get; init; }

    /// <summary>The file it became, once completed.</summary>
    public StoredFile? File { get; init; }
}
