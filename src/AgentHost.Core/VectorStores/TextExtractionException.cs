namespace AgentHost.Core.VectorStores;

/// <summary>A file that cannot be ingested; <see cref="Code"/> is its <c>last_error.code</c>.</summary>
public sealed class TextExtractionException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
