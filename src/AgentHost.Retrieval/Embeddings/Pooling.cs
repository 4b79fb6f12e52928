namespace AgentHost.Retrieval.Embeddings;

/// <summary>How a sentence embedder turns its per-token states into one vector.</summary>
internal enum Pooling
{
    /// <summary>The mean of the states of the real (unpadded) tokens.</summary>
    Mean,

    /// <summary>The state of the first token, <c>[CLS]</c>.</summary>
    Cls,
}
