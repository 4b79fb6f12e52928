namespace AgentHost.Retrieval;

/// <summary>Fusion constants measured on CISI (bench: <c>retrieval</c> scenario; docs/retrieval.md has the grid).</summary>
public static class RankingDefaults
{
    public const double EmbeddingWeight = 0.7;
    public const double TextWeight = 0.3;

    /// <summary>The RRF constant: a document at rank r in one list scores weight / (K + r).</summary>
    public const int RrfK = 60;

    /// <summary>How deep each ranking (BM25, dense) is read before fusion.</summary>
    public const int CandidateDepth = 100;
}
