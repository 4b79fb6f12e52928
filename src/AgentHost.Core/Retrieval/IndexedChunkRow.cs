namespace AgentHost.Core.Retrieval;

/// <summary>A chunk's load-time form: its BM25 term total and encoded term counts, its int8 codes and their scale.</summary>
public sealed record IndexedChunkRow(string FileId, int ChunkIndex, int TermTotal, float Scale, byte[] Codes, byte[] Terms);
