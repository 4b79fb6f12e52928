namespace AgentHost.Providers;

/// <summary>The OpenAI Chat Completions API. <see cref="ApiKey"/> falls back to <c>OPENAI_API_KEY</c>.</summary>
public sealed class OpenAIProviderOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Defaults to the public API; falls back to <c>OPENAI_BASE_URL</c>.</summary>
    public string? BaseUrl { get; set; }
}
