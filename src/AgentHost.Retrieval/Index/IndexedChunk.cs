namespace AgentHost.Retrieval.Index;

/// <summary>A chunk as the index receives it, from ingestion or from the database.</summary>
internal sealed record IndexedChunk(int ChunkIndex, string Text, int TokenCount, float[] Vector);
