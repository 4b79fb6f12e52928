namespace AgentHost.Retrieval.Index;

/// <summary>A chunk that survived fusion, with its fused score in [0, 1].</summary>
internal readonly record struct Candidate(FileEntry File, int ChunkIndex, double Score);
