namespace AgentHost.Core.Retrieval;

/// <summary>A chunk as first written: its text, o200k token count and little-endian float32 embedding.</summary>
public sealed record RawChunkRow(string FileId, int ChunkIndex, string Text, int TokenCount, byte[] Embedding);
