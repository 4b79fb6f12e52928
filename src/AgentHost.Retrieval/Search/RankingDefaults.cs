namespace AgentHost.Retrieval;

/// <summary>Fusion constants measured on CISI (bench: <c>retrieval</c> scenario; docs/retrieval.md has the grid).</summary>
public static class RankingDefaults
{
    // nDCG@10 on CISI stays within 0.435–0.437 for embedding weights 0.75–0.9 at K = 20 (0.8 / 0.2: 0.437); the
    // lower K lets a strong keyword match (an identifier, a name) still reach the top ten.
    public const double EmbeddingWeight = 0.8;
    public const double TextWeight = 0.2;

    /// <summary>The RRF constant: a document at rank r in one list scores weight / (K + r).</summary>
    public const int RrfK = 20;

    /// <summary>The embedding model of new vector stores (bench: <c>retrieval-eval</c>; bench/README.md has the table).</summary>
    // Measured on CISI and Cranfield (fused + second stage): all-MiniLM-L6-v2 0.433 / 0.393, snowflake-arctic-embed-xs
    // 0.398 / 0.399 — arctic is better on Cranfield by less than MiniLM is on CISI.
    public const string EmbeddingModel = "all-MiniLM-L6-v2";

    /// <summary>Weight of the exact dense score against BM25 when the second stage re-scores the fused candidates.</summary>
    public const double SecondStageEmbeddingWeight = 0.6;

    /// <summary>How many fused candidates the second stage re-scores.</summary>
    public const int SecondStageCandidates = 50;

    /// <summary>How deep each ranking (BM25, dense) is read before fusion.</summary>
    public const int CandidateDepth = 100;
}
