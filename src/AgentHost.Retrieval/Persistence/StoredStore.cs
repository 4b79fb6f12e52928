namespace AgentHost.Retrieval.Persistence;

/// <summary>A store's remembered embedding model and its files, as loaded from the database.</summary>
internal sealed record StoredStore(string EmbeddingModel, int Dimensions, IReadOnlyList<StoredIndexFile> Files);
