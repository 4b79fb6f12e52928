using Microsoft.Extensions.AI;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>A named embedder; <see cref="IsLocal"/> decides the <c>auto</c> chunk size.</summary>
/// <param name="QueryPrefix">Put before search queries only (e.g. arctic-embed's instruction); null when the model wants none.</param>
internal sealed record EmbeddingModel(string Name, IEmbeddingGenerator<string, Embedding<float>> Generator, bool IsLocal, string? QueryPrefix = null);
