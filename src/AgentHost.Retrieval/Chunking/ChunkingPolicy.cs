using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;

namespace AgentHost.Retrieval.Chunking;

/// <summary>Validates a requested strategy and resolves <c>auto</c> to the static sizes it stands for.</summary>
internal static class ChunkingPolicy
{
    public const int MinChunkTokens = 100;
    public const int MaxChunkTokens = 4096;

    /// <summary>
    /// <c>auto</c> for the local all-MiniLM-L6-v2, which reads at most 256 word pieces (254 after [CLS]/[SEP]).
    /// On CISI a 200-token window is 1.02 word pieces per token at the median and 1.19 at worst (≤ 240 pieces), so
    /// auto chunks are embedded whole; the overlap keeps a sentence cut at a boundary whole in one of the two
    /// chunks. Text with many word pieces per token (digits, other languages) is truncated by the encoder, while
    /// BM25 still sees all of it. Measured in docs/retrieval.md.
    /// </summary>
    public static ChunkingStrategy AutoForLocalModel { get; } = new("static", 200, 50);

    /// <summary>For remote models (8k-token inputs) the original's 800/400.</summary>
    public static ChunkingStrategy AutoForRemoteModel { get; } = new("static", 800, 400);

    public static ChunkingStrategy Resolve(ChunkingStrategy? requested, bool localModel)
    {
        if (requested is null || string.Equals(requested.Type, "auto", StringComparison.Ordinal))
        {
            return localModel ? AutoForLocalModel : AutoForRemoteModel;
        }

        if (!string.Equals(requested.Type, "static", StringComparison.Ordinal))
        {
            throw ApiException.Invalid($"Invalid chunking_strategy type '{requested.Type}'; expected 'auto' or 'static'.", "chunking_strategy.type");
        }

        if (requested.MaxChunkSizeTokens is < MinChunkTokens or > MaxChunkTokens)
        {
            throw ApiException.Invalid(
                $"chunking_strategy.static.max_chunk_size_tokens must be between {MinChunkTokens} and {MaxChunkTokens}; it is {requested.MaxChunkSizeTokens}.",
                "chunking_strategy.static.max_chunk_size_tokens");
        }

        if (requested.ChunkOverlapTokens < 0 || requested.ChunkOverlapTokens > requested.MaxChunkSizeTokens / 2)
        {
            throw ApiException.Invalid(
                $"chunking_strategy.static.chunk_overlap_tokens must be between 0 and half of max_chunk_size_tokens ({requested.MaxChunkSizeTokens / 2}); it is {requested.ChunkOverlapTokens}.",
                "chunking_strategy.static.chunk_overlap_tokens");
        }

        return requested;
    }
}
