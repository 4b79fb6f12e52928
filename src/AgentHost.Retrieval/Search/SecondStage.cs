namespace AgentHost.Retrieval.Search;

/// <summary>Re-scoring of the first <see cref="Candidates"/> fused chunks: <see cref="EmbeddingWeight"/> × dense + the rest × BM25, both min–max-normalised.</summary>
internal readonly record struct SecondStage(double EmbeddingWeight, int Candidates);
