namespace AgentHost.Core.Retrieval;

/// <summary>One chunk to write: its text, token count and float32 embedding, with its load-time form.</summary>
public sealed record ChunkWrite(int ChunkIndex, string Text, int TokenCount, byte[] Embedding, int TermTotal, float Scale, byte[] Codes, byte[] Terms);
