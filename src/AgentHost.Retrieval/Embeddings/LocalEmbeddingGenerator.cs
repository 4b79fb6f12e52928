using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a packaged <see cref="LocalModel"/>, with two ONNX
/// sessions loaded together on first use (a second or two) from one rewritten graph. Documents go through a session of one intra-op thread whose
/// runs proceed side by side, at most <see cref="RetrievalOptions.EmbeddingRuns"/> at once (one per core by default):
/// independent single-threaded runs of a few texts cost the least CPU per chunk and keep every core busy, where one run
/// split over the cores pays for waking and joining its threads at every operator. Queries, one short text each, go
/// through a session of <see cref="RetrievalOptions.EmbeddingThreads"/> threads so that one query uses every core.
/// </summary>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly LocalModel model;
    private readonly Lazy<(OnnxSentenceEncoder Documents, OnnxSentenceEncoder Queries)> sessions;
    private readonly SemaphoreSlim runs;

    public LocalEmbeddingGenerator(LocalModel model, RetrievalOptions settings)
    {
        this.model = model;
        var cores = Environment.ProcessorCount;
        runs = new SemaphoreSlim(settings.EmbeddingRuns > 0 ? settings.EmbeddingRuns : cores);
        // Both sessions load together from one rewritten graph, so the first search after an ingestion finds its session ready.
        sessions = new(() =>
        {
            var graph = OnnxSentenceEncoder.Graph(model, settings.EmbeddingInt8);
            return (Create(model, graph, threads: 1, settings),
                Create(model, graph, settings.EmbeddingThreads > 0 ? settings.EmbeddingThreads : cores, settings));
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The documents' encoder (one intra-op thread per run).</summary>
    public OnnxSentenceEncoder Encoder => sessions.Value.Documents;

    /// <summary>The queries' encoder (every core in one run).</summary>
    public OnnxSentenceEncoder QueryEncoder => sessions.Value.Queries;

    /// <summary>Embeds documents: their runs take turns with every other caller's for <see cref="RetrievalOptions.EmbeddingRuns"/> slots.</summary>
    public async Task<float[][]> EmbedDocumentsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var encoder = sessions.Value.Documents;
        var ids = new long[texts.Count][];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = encoder.Tokenize(texts[i]);
        }

        return await encoder.EncodeAsync(ids, runs, cancellationToken);
    }

    /// <summary>Embeds search queries in one run over every core.</summary>
    public Task<float[][]> EmbedQueriesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Task.Run(() => sessions.Value.Queries.Encode(texts, cancellationToken), cancellationToken);

    /// <summary>As documents (<see cref="EmbedDocumentsAsync"/>).</summary>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        new((await EmbedDocumentsAsync([.. values], cancellationToken)).Select(v => new Embedding<float>(v) { ModelId = model.Name }));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (sessions.IsValueCreated)
        {
            sessions.Value.Documents.Dispose();
            sessions.Value.Queries.Dispose();
        }

        runs.Dispose();
    }

    private static OnnxSentenceEncoder Create(LocalModel model, byte[] graph, int threads, RetrievalOptions settings)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // ONNX Runtime's pool threads spin after each run by default, burning the cores that searches and
        // requests need; a server embeds in bursts, so they should sleep instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new OnnxSentenceEncoder(model, graph, options, settings.EmbeddingBatchSize, settings.EmbeddingBatchTokens);
    }
}
