using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a packaged <see cref="LocalModel"/>, loaded on first use
/// (about a second). The packages' own sessions use one thread; this one gets the configured cores.
/// </summary>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly LocalModel model;
    private readonly Lazy<OnnxSentenceEncoder> encoder;

    public LocalEmbeddingGenerator(LocalModel model, RetrievalOptions settings)
    {
        this.model = model;
        encoder = new(() =>
        {
            var options = new SessionOptions
            {
                IntraOpNumThreads = settings.EmbeddingThreads > 0 ? settings.EmbeddingThreads : Environment.ProcessorCount,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            // ONNX Runtime's pool threads spin after each run by default, burning the cores that searches and
            // requests need; a server embeds in bursts, so they should sleep instead.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            return new OnnxSentenceEncoder(model, options, settings.EmbeddingBatchSize, settings.EmbeddingBatchTokens, settings.EmbeddingInt8);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public OnnxSentenceEncoder Encoder => encoder.Value;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        return Task.Run(() => new GeneratedEmbeddings<Embedding<float>>(
            encoder.Value.Encode(texts, cancellationToken).Select(v => new Embedding<float>(v) { ModelId = model.Name })), cancellationToken);
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
