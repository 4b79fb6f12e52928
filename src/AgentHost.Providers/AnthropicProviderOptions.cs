namespace AgentHost.Providers;

/// <summary>The Anthropic Messages API. <see cref="ApiKey"/> falls back to <c>ANTHROPIC_API_KEY</c>.</summary>
public sealed class AnthropicProviderOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Defaults to the public API; falls back to <c>ANTHROPIC_BASE_URL</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Anthropic requires <c>max_tokens</c>; this is sent when a request does not set one.</summary>
    public int DefaultMaxTokens { get; set; } = 4096;
}
