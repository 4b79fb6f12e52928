namespace AgentHost.Retrieval;

/// <summary>The retrieval engine's settings, bound from the <c>AgentHost:Retrieval</c> and <c>AgentHost:Embeddings</c> sections.</summary>
public sealed class RetrievalOptions
{
    public const string SectionName = "AgentHost:Retrieval";

    /// <summary>Default hybrid weights when a search does not send <c>ranking_options.hybrid_search</c> (measured on CISI, see docs/retrieval.md).</summary>
    public double EmbeddingWeight { get; set; } = RankingDefaults.EmbeddingWeight;

    public double TextWeight { get; set; } = RankingDefaults.TextWeight;

    /// <summary>Re-score the fused candidates by their exact dense and BM25 scores (<c>ranking_options.ranker</c> <c>none</c> skips it per search).</summary>
    public bool SecondStage { get; set; } = true;

    /// <summary>The second stage's dense weight when a search sends no <c>hybrid_search</c> weights.</summary>
    public double SecondStageEmbeddingWeight { get; set; } = RankingDefaults.SecondStageEmbeddingWeight;

    /// <summary>The chat model that <c>ranking_options.ranker</c> <c>llm</c> asks to grade candidates (any model AgentHost serves); unset disables that ranker.</summary>
    public string? RerankerModel { get; set; }

    /// <summary>How many of the best candidates the LLM reranker grades (at least <c>max_num_results</c>).</summary>
    public int RerankerCandidates { get; set; } = 20;

    /// <summary>Intra-op threads of a local model's query session (one search query uses them all); 0 means all cores.</summary>
    public int EmbeddingThreads { get; set; }

    /// <summary>
    /// Document embedding runs of a local model at once, across all files being ingested, each on one thread; 0 means
    /// one per core. Files beyond that wait their turn batch by batch, so ingestion of many files keeps every core busy.
    /// </summary>
    public int EmbeddingRuns { get; set; }

    /// <summary>
    /// The embedding model of a vector store created without <c>embedding_model</c>: a local model's name or one
    /// configured under <c>AgentHost:Embeddings:Models</c>. Existing stores keep the model they recorded.
    /// </summary>
    public string DefaultEmbeddingModel { get; set; } = RankingDefaults.EmbeddingModel;

    /// <summary>
    /// Run the local models' matrix products on int8 weights, quantised at load: about 1.6× less CPU per ingested chunk
    /// with the same nDCG@10 on CISI and Cranfield (vectors within cosine 0.99 of float32; see docs/retrieval.md).
    /// </summary>
    public bool EmbeddingInt8 { get; set; } = true;

    /// <summary>Most texts per ONNX run of a local model.</summary>
    public int EmbeddingBatchSize { get; set; } = 32;

    /// <summary>
    /// Most padded word pieces per ONNX run (texts × the longest text of the run; a text longer than this runs alone):
    /// two 200-token chunks. Small runs keep a run's activations in the CPU's caches; a run of 32 such chunks costs
    /// about 1.6× the CPU per chunk (bench/README.md, "Ingestion speed").
    /// </summary>
    public int EmbeddingBatchTokens { get; set; } = 512;

    /// <summary>Load every store into memory in the background at start, so the first search after a restart does not wait for it.</summary>
    public bool WarmStoresOnStart { get; set; } = true;

    /// <summary>OpenAI-compatible embedding endpoints by model name, from <c>AgentHost:Embeddings:Models</c>.</summary>
    public Dictionary<string, EmbeddingModelOptions> Models { get; } = new(StringComparer.Ordinal);
}
