using System.Text.Json;
using AgentHost.Core.Retrieval;

namespace AgentHost.Core.VectorStores;

/// <summary>A file to add to a store, with how to chunk it and the attributes search filters see.</summary>
public sealed record NewVectorStoreFile(string FileId, ChunkingStrategy Chunking, IReadOnlyDictionary<string, JsonElement> Attributes);
