namespace AgentHost.Providers;

/// <summary>
/// Where models come from, bound from the <c>AgentHost:Providers</c> configuration section. The
/// <c>ANTHROPIC_*</c> and <c>OPENAI_*</c> environment variables fill in keys and URLs left unset here.
/// </summary>
public sealed class ProviderOptions
{
    public const string SectionName = "AgentHost:Providers";

    /// <summary>Serves <c>claude-*</c> models.</summary>
    public AnthropicProviderOptions Anthropic { get; set; } = new();

    /// <summary>Serves <c>gpt-*</c>, <c>chatgpt-*</c>, <c>o1*</c>, <c>o3*</c> and <c>o4*</c> models.</summary>
    public OpenAIProviderOptions OpenAI { get; set; } = new();

    /// <summary>
    /// OpenAI-compatible servers (Ollama, vLLM, llama.cpp) by name. A server serves the models it lists,
    /// and any model asked for as <c>name:model</c> (e.g. <c>ollama:llama3.1</c>).
    /// </summary>
    public Dictionary<string, CompatibleServerOptions> Servers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Model name → the model that really serves it (e.g. <c>gpt-4o</c> → <c>ollama:llama3.1</c>), so a program
    /// that hard-codes a model can run elsewhere. Aliases resolve once; they do not chain.
    /// </summary>
    public Dictionary<string, string> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model tried once when a model's retries are exhausted, unless <see cref="Fallbacks"/> names another.</summary>
    public string? FallbackModel { get; set; }

    /// <summary>
    /// Per-model fallbacks, keyed by the model name asked for or the alias target; they win over
    /// <see cref="FallbackModel"/>. A configuration key cannot hold <c>:</c>, so key a <c>server:model</c> target by an alias.
    /// </summary>
    public Dictionary<string, string> Fallbacks { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The most output tokens per model name prefix (e.g. <c>my-model: 8192</c>); a request asking for more is sent
    /// with this many. Wins over a server's <see cref="CompatibleServerOptions.MaxOutputTokens"/> and the built-in
    /// limits of known Claude and OpenAI models.
    /// </summary>
    public Dictionary<string, int> MaxOutputTokens { get; } = new(StringComparer.OrdinalIgnoreCase);

    public RetryOptions Retry { get; set; } = new();
}
