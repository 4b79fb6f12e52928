namespace AgentHost.Core.Retrieval;

/// <summary>The embedding model a store's vectors were made with, and their length.</summary>
public sealed record ChunkStoreModel(string EmbeddingModel, int Dimensions);
