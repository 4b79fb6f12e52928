using AgentHost.Retrieval.Index;

namespace AgentHost.Retrieval.Persistence;

/// <summary>A file's row and its chunks, as loaded from the database.</summary>
internal sealed record StoredIndexFile(string FileId, string Filename, IReadOnlyDictionary<string, object?> Attributes, List<IndexedChunk> Chunks);
