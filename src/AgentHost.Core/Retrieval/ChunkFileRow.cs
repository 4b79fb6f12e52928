namespace AgentHost.Core.Retrieval;

/// <summary>A file of a store as <see cref="IChunkStore"/> keeps it: attributes as a JSON object.</summary>
public sealed record ChunkFileRow(string FileId, string Filename, string AttributesJson);
