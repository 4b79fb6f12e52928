using System.ClientModel;
using AgentHost.Core.Errors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Embeddings;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// The embedders a vector store can name: the local all-MiniLM-L6-v2 (the default) and every OpenAI-compatible
/// endpoint under <c>AgentHost:Embeddings:Models</c>. Vectors are L2-normalised here so the index can rank by dot product.
/// </summary>
internal sealed class EmbeddingModels : IDisposable
{
    private readonly Dictionary<string, EmbeddingModel> models = new(StringComparer.Ordinal);
    private readonly EmbeddingModel local;

    public EmbeddingModels(IOptions<RetrievalOptions> options)
    {
        var settings = options.Value;
        local = new EmbeddingModel(MiniLmEmbeddingGenerator.ModelName,
            new MiniLmEmbeddingGenerator(settings.EmbeddingThreads, settings.EmbeddingBatchSize), IsLocal: true);
        models[local.Name] = local;
        foreach (var (name, model) in settings.Models)
        {
            models[name] = new EmbeddingModel(name, CreateRemote(name, model), IsLocal: false);
        }
    }

    public EmbeddingModel Default => local;

    /// <summary>The model a store names; null or empty is the local default.</summary>
    public EmbeddingModel Resolve(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return local;
        }

        return models.TryGetValue(name, out var model)
            ? model
            : throw ApiException.Invalid(
                $"Unknown embedding model '{name}'. Use '{local.Name}' (local) or configure it under AgentHost:Embeddings:Models:{name}.",
                "embedding_model");
    }

    public async Task<float[][]> EmbedAsync(EmbeddingModel model, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var generated = await model.Generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (generated.Count != texts.Count)
        {
            throw new InvalidOperationException($"Embedding model '{model.Name}' returned {generated.Count} vectors for {texts.Count} inputs.");
        }

        var vectors = new float[texts.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = VectorMath.Normalized(generated[i].Vector.Span);
        }

        return vectors;
    }

    private static IEmbeddingGenerator<string, Embedding<float>> CreateRemote(string name, EmbeddingModelOptions model)
    {
        if (!Uri.TryCreate(model.BaseUrl, UriKind.Absolute, out var endpoint))
        {
            throw new OptionsValidationException(name, typeof(EmbeddingModelOptions),
                [$"AgentHost:Embeddings:Models:{name}:BaseUrl must be an absolute URL such as https://api.openai.com/v1; it is '{model.BaseUrl}'."]);
        }

        var client = new EmbeddingClient(model.Model ?? name, new ApiKeyCredential(model.ApiKey ?? "none"), new OpenAIClientOptions { Endpoint = endpoint });
        return client.AsIEmbeddingGenerator(model.Dimensions);
    }

    public void Dispose()
    {
        foreach (var model in models.Values)
        {
            model.Generator.Dispose();
        }
    }
}
