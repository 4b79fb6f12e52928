using Microsoft.Extensions.AI;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>A named embedder; <see cref="IsLocal"/> decides the <c>auto</c> chunk size.</summary>
internal sealed record EmbeddingModel(string Name, IEmbeddingGenerator<string, Embedding<float>> Generator, bool IsLocal);
