using Microsoft.Extensions.AI;

namespace AgentHost.Server.Compat;

/// <summary>
/// Usage in both vendors' terms. M.E.AI counts input like OpenAI (cached and cache-write tokens included, as in
/// <c>prompt_tokens</c>); Anthropic's <c>input_tokens</c> excludes both, so they are subtracted back out.
/// </summary>
internal readonly record struct TokenUsage(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheCreationTokens, long ReasoningTokens)
{
    /// <summary>The key the Anthropic adapter puts cache writes under in <see cref="UsageDetails.AdditionalCounts"/>.</summary>
    public const string CacheCreationKey = "CacheCreationInputTokens";

    /// <summary>OpenAI's <c>prompt_tokens</c>: everything read, cached or not.</summary>
    public long PromptTokens => InputTokens + CacheReadTokens + CacheCreationTokens;

    public static TokenUsage From(UsageDetails? usage)
    {
        if (usage is null)
        {
            return default;
        }

        var cacheRead = usage.CachedInputTokenCount ?? 0;
        var cacheCreation = usage.AdditionalCounts?.TryGetValue(CacheCreationKey, out var created) == true ? created : 0;
        var input = Math.Max(0, (usage.InputTokenCount ?? 0) - cacheRead - cacheCreation);
        return new(input, usage.OutputTokenCount ?? 0, cacheRead, cacheCreation, usage.ReasoningTokenCount ?? 0);
    }
}
