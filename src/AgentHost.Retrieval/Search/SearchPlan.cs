using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;

namespace AgentHost.Retrieval.Search;

/// <summary>A <see cref="SearchRequest"/> validated and with defaults applied.</summary>
/// <param name="SecondStage">Null when the fused order is final: <c>ranker</c> <c>none</c>, a one-sided weighting, or turned off.</param>
/// <param name="LlmRerank">Whether <c>ranker</c> <c>llm</c> grades the best candidates after the engine ranks them.</param>
internal sealed record SearchPlan(IReadOnlyList<string> Queries, int MaxNumResults, double ScoreThreshold, FusionWeights Weights, int Depth, SecondStage? SecondStage,
    bool LlmRerank = false)
{
    public const int MaxResults = 50;

    public static SearchPlan From(SearchRequest request, RetrievalOptions options)
    {
        var queries = request.Queries.Where(q => !string.IsNullOrWhiteSpace(q)).ToArray();
        if (queries.Length == 0)
        {
            throw ApiException.Invalid("'query' must contain at least one non-empty query.", "query");
        }

        if (request.MaxNumResults is < 1 or > MaxResults)
        {
            throw ApiException.Invalid($"'max_num_results' must be between 1 and {MaxResults}; it is {request.MaxNumResults}.", "max_num_results");
        }

        if (double.IsNaN(request.ScoreThreshold) || request.ScoreThreshold is < 0 or > 1)
        {
            throw ApiException.Invalid($"'ranking_options.score_threshold' must be between 0 and 1; it is {request.ScoreThreshold}.", "ranking_options.score_threshold");
        }

        if (request.Ranker is not (null or "auto" or "default-2024-11-15" or "none" or LlmReranker.RankerName))
        {
            throw ApiException.Invalid($"'ranking_options.ranker' must be one of auto, default-2024-11-15, none, llm; it is '{request.Ranker}'.", "ranking_options.ranker");
        }

        var weights = request.Weights ?? new HybridWeights(options.EmbeddingWeight, options.TextWeight);
        if (!double.IsFinite(weights.EmbeddingWeight) || !double.IsFinite(weights.TextWeight) || weights.EmbeddingWeight < 0 || weights.TextWeight < 0
            || weights.EmbeddingWeight + weights.TextWeight <= 0)
        {
            throw ApiException.Invalid(
                $"'ranking_options.hybrid_search' weights must be non-negative with a positive sum; got embedding_weight {weights.EmbeddingWeight}, text_weight {weights.TextWeight}.",
                "ranking_options.hybrid_search");
        }

        var depth = Math.Max(RankingDefaults.CandidateDepth, request.MaxNumResults * 2);
        // The second stage weighs the exact scores as the request weighs the rankings; by default with its own measured weight.
        SecondStage? secondStage = request.Ranker is "none" || !options.SecondStage || weights.EmbeddingWeight == 0 || weights.TextWeight == 0
            ? null
            : new SecondStage(request.Weights is { } given ? given.EmbeddingWeight / (given.EmbeddingWeight + given.TextWeight) : options.SecondStageEmbeddingWeight,
                Math.Max(RankingDefaults.SecondStageCandidates, request.MaxNumResults));
        return new SearchPlan(queries, request.MaxNumResults, request.ScoreThreshold, new FusionWeights(weights.EmbeddingWeight, weights.TextWeight), depth, secondStage,
            request.Ranker == LlmReranker.RankerName);
    }
}
