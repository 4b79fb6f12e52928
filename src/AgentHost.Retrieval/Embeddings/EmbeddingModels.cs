using System.ClientModel;
using AgentHost.Core.Errors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Embeddings;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// The embedders a vector store can name: the local models packaged with AgentHost (snowflake-arctic-embed-xs,
/// all-MiniLM-L6-v2) and every OpenAI-compatible endpoint under <c>AgentHost:Embeddings:Models</c>. Vectors are
/// L2-normalised here so the index can rank by dot product.
/// </summary>
internal sealed class EmbeddingModels : IDisposable
{
    private readonly Dictionary<string, EmbeddingModel> models = new(StringComparer.Ordinal);

    public EmbeddingModels(IOptions<RetrievalOptions> options)
    {
        var settings = options.Value;
        foreach (var local in LocalModel.All)
        {
            models[local.Name] = new EmbeddingModel(local.Name, new LocalEmbeddingGenerator(local, settings), IsLocal: true, local.QueryPrefix);
        }

        foreach (var (name, model) in settings.Models)
        {
            models[name] = new EmbeddingModel(name, CreateRemote(name, model), IsLocal: false);
        }

        Default = models.TryGetValue(settings.DefaultEmbeddingModel, out var chosen)
            ? chosen
            : throw new OptionsValidationException(nameof(RetrievalOptions.DefaultEmbeddingModel), typeof(RetrievalOptions),
                [$"AgentHost:Retrieval:DefaultEmbeddingModel is '{settings.DefaultEmbeddingModel}', which is neither a local model ({string.Join(", ", LocalModel.All.Select(m => m.Name))}) nor configured under AgentHost:Embeddings:Models."]);
    }

    /// <summary>The model of a new vector store that names none (<c>AgentHost:Retrieval:DefaultEmbeddingModel</c>).</summary>
    public EmbeddingModel Default { get; }

    /// <summary>
    /// The model a store names. Null or empty is a store created before stores recorded their model, which were all
    /// embedded with all-MiniLM-L6-v2, so they keep it; new stores always name theirs.
    /// </summary>
    public EmbeddingModel Resolve(string? name) =>
        models.TryGetValue(string.IsNullOrEmpty(name) ? LocalModel.MiniLm.Name : name, out var model)
            ? model
            : throw ApiException.Invalid(
                $"Unknown embedding model '{name}'. Use one of the local models ({string.Join(", ", LocalModel.All.Select(m => m.Name))}) " +
                $"or configure it under AgentHost:Embeddings:Models:{name}.",
                "embedding_model", "invalid_value");

    /// <summary>Embeds search queries, each with the model's query prefix when it has one.</summary>
    public Task<float[][]> EmbedQueriesAsync(EmbeddingModel model, IReadOnlyList<string> queries, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> texts = model.QueryPrefix is null ? queries : [.. queries.Select(q => model.QueryPrefix + q)];
        return texts.Count > 0 && model.Generator is LocalEmbeddingGenerator local
            ? local.EmbedQueriesAsync(texts, cancellationToken)
            : EmbedAsync(model, texts, cancellationToken);
    }

    /// <summary>Embeds documents (chunks); a local model runs them side by side with other files' on every core.</summary>
    public async Task<float[][]> EmbedAsync(EmbeddingModel model, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        if (model.Generator is LocalEmbeddingGenerator local)
        {
            // The local encoder's vectors are already L2-normalised.
            return await local.EmbedDocumentsAsync(texts, cancellationToken);
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
