namespace AgentHost.Retrieval;

/// <summary>An OpenAI-compatible <c>/v1/embeddings</c> endpoint that a vector store may name as its embedding model.</summary>
public sealed class EmbeddingModelOptions
{
    /// <summary>Base URL including the version segment, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The upstream model id; defaults to the configured name.</summary>
    public string? Model { get; set; }

    /// <summary>Requested output dimensions, for models that can shorten their vectors.</summary>
    public int? Dimensions { get; set; }
}
