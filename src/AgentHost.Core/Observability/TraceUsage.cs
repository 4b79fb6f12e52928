namespace AgentHost.Core.Observability;

/// <summary>
/// Tokens of one model call, the same way for every provider: <see cref="InputTokens"/> is the whole prompt,
/// cache reads and cache writes included (OpenAI's <c>prompt_tokens</c>; Anthropic's <c>input_tokens</c> +
/// <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c>).
/// </summary>
public sealed record TraceUsage
{
    public required int InputTokens { get; init; }
    public required int OutputTokens { get; init; }
    public int CachedInputTokens { get; init; }
    public int CacheWriteTokens { get; init; }
    public int ReasoningTokens { get; init; }

    /// <summary>False when the provider reported no usage and the counts are AgentHost's estimate.</summary>
    public bool Reported { get; init; } = true;

    public int UncachedInputTokens => Math.Max(0, InputTokens - CachedInputTokens - CacheWriteTokens);
}
