using System.Text.Json;

namespace AgentHost.Core.Retrieval;

/// <summary>How a file is cut into chunks: <c>auto</c> (sizes chosen for the embedding model) or <c>static</c>.</summary>
public sealed record ChunkingStrategy(string Type, int MaxChunkSizeTokens, int ChunkOverlapTokens)
{
    public static ChunkingStrategy Auto { get; } = new("auto", 0, 0);
}

/// <param name="EmbeddingModel">The store's embedding model; null for the local default.</param>
public sealed record IndexFileRequest(
    string VectorStoreId,
    string FileId,
    string Filename,
    string Text,
    ChunkingStrategy Chunking,
    IReadOnlyDictionary<string, object?> Attributes,
    string? EmbeddingModel);

/// <summary>What indexing a file produced; <see cref="UsageBytes"/> counts toward the store's <c>usage_bytes</c>.</summary>
public sealed record IndexedFile(int ChunkCount, long UsageBytes, ChunkingStrategy Chunking);

/// <summary>Weights of the two rankings in hybrid fusion, as in <c>ranking_options.hybrid_search</c>.</summary>
public sealed record HybridWeights(double EmbeddingWeight, double TextWeight);

/// <param name="Filter">A <c>ComparisonFilter</c> or <c>CompoundFilter</c> over file attributes, as sent.</param>
/// <param name="Weights">Null for the measured defaults.</param>
/// <param name="Scope">
/// Who a model call the search makes (the <c>llm</c> ranker) is for: the run whose <c>file_search</c> call it is, or the
/// search endpoint's caller; the call is traced and priced under it, in the current project.
/// </param>
public sealed record SearchRequest(
    IReadOnlyList<string> VectorStoreIds,
    IReadOnlyList<string> Queries,
    int MaxNumResults,
    double ScoreThreshold = 0,
    HybridWeights? Weights = null,
    JsonElement? Filter = null,
    string? Ranker = null,
    Observability.ModelCallScope? Scope = null);

/// <summary>One retrieved chunk, with its score in [0, 1] and where it came from.</summary>
public sealed record SearchHit(
    string VectorStoreId,
    string FileId,
    string Filename,
    int ChunkIndex,
    double Score,
    string Text,
    IReadOnlyDictionary<string, object?> Attributes);
