using AgentHost.Core.Retrieval;

namespace AgentHost.Server.VectorStores;

/// <summary>One entry of <c>tool_resources.file_search.vector_stores</c>: a store to create with these files and attach.</summary>
internal sealed record NewToolVectorStore(IReadOnlyList<string> FileIds, ChunkingStrategy Chunking, IReadOnlyDictionary<string, string> Metadata);
