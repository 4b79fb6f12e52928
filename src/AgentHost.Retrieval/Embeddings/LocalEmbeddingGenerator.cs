using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a packaged <see cref="LocalModel"/>, with two ONNX
/// sessions built side by side on first use from one rewritten graph. Documents go through a session of one intra-op
/// thread whose runs proceed side by side, at most <see cref="RetrievalOptions.EmbeddingRuns"/> at once (one per core by
/// default): independent single-threaded runs of a few texts cost the least CPU per chunk and keep every core busy, where
/// one run split over the cores pays for waking and joining its threads at every operator. Queries, one short text each,
/// go through a session of <see cref="RetrievalOptions.EmbeddingThreads"/> threads so that one query uses every core.
/// </summary>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly LocalModel model;
    private readonly Lazy<byte[]> graph;
    private readonly Lazy<OnnxSentenceEncoder> documents;
    private readonly Lazy<Task<OnnxSentenceEncoder>> queries;
    private readonly SemaphoreSlim runs;

    public LocalEmbeddingGenerator(LocalModel model, RetrievalOptions settings)
    {
        this.model = model;
        var cores = Environment.ProcessorCount;
        runs = new SemaphoreSlim(settings.EmbeddingRuns > 0 ? settings.EmbeddingRuns : cores);
        graph = new(() => OnnxSentenceEncoder.Graph(model, settings.EmbeddingInt8), LazyThreadSafetyMode.ExecutionAndPublication);
        queries = new(() => Task.Run(() => Create(model, graph.Value, settings.EmbeddingThreads > 0 ? settings.EmbeddingThreads : cores, settings)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        documents = new(() =>
        {
            // The query session builds meanwhile on another thread: the first search after an ingestion finds it ready
            // without adding its build to the first file's.
            var shared = graph.Value;
            _ = queries.Value;
            return Create(model, shared, threads: 1, settings);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The documents' encoder (one intra-op thread per run).</summary>
    public OnnxSentenceEncoder Encoder => documents.Value;

    /// <summary>The queries' encoder (every core in one run).</summary>
    public OnnxSentenceEncoder QueryEncoder => queries.Value.GetAwaiter().GetResult();

    /// <summary>Embeds documents: their runs take turns with every other caller's for <see cref="RetrievalOptions.EmbeddingRuns"/> slots.</summary>
    public async Task<float[][]> EmbedDocumentsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var encoder = documents.Value;
        var ids = new long[texts.Count][];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = encoder.Tokenize(texts[i]);
        }

        return await encoder.EncodeAsync(ids, runs, cancellationToken);
    }

    /// <summary>Embeds search queries in one run over every core.</summary>
    public async Task<float[][]> EmbedQueriesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var encoder = await queries.Value.WaitAsync(cancellationToken);
        return await Task.Run(() => encoder.Encode(texts, cancellationToken), cancellationToken);
    }

    /// <summary>As documents (<see cref="EmbedDocumentsAsync"/>).</summary>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        new((await EmbedDocumentsAsync([.. values], cancellationToken)).Select(v => new Embedding<float>(v) { ModelId = model.Name }));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (documents.IsValueCreated)
        {
            documents.Value.Dispose();
        }

        if (queries.IsValueCreated)
        {
            // A build still under way finishes first; a failed one left nothing to dispose.
            var build = queries.Value;
            ((IAsyncResult)build).AsyncWaitHandle.WaitOne();
            if (build.IsCompletedSuccessfully)
            {
                build.Result.Dispose();
            }
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
