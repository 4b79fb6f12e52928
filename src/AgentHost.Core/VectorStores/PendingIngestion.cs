using System.Text.Json;
using AgentHost.Core.Retrieval;

namespace AgentHost.Core.VectorStores;

/// <summary>A store file still <c>in_progress</c>: what the ingestion worker needs to index it.</summary>
public sealed record PendingIngestion(string VectorStoreId, string FileId, ChunkingStrategy Chunking, IReadOnlyDictionary<string, JsonElement> Attributes);
