using System.Text.Json;

namespace AgentHost.Core.VectorStores;

/// <summary>A file in a vector store: the <c>vector_store.file</c> object. Its id is the file's id.</summary>
public sealed record VectorStoreFile
{
    public required string Id { get; init; }
    public string Object { get; init; } = "vector_store.file";
    public long UsageBytes { get; init; }
    public required long CreatedAt { get; init; }
    public required string VectorStoreId { get; init; }
    public string Status { get; init; } = VectorStoreFileStatus.InProgress;
    public VectorStoreFileError? LastError { get; init; }
    public required ChunkingStrategyObject ChunkingStrategy { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Attributes { get; init; } = new Dictionary<string, JsonElement>();
}

public sealed record VectorStoreFileError(string Code, string Message);

public static class VectorStoreFileStatus
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}

/// <summary>The <c>last_error</c> codes a file's ingestion can end with.</summary>
public static class IngestionErrorCodes
{
    public const string ServerError = "server_error";
    public const string UnsupportedFile = "unsupported_file";
    public const string InvalidFile = "invalid_file";
}
