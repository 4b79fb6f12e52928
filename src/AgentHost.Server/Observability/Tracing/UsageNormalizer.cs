using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Observability.Tracing;

/// <summary>
/// Turns a provider's reported usage into <see cref="TraceUsage"/>, where input counts the whole prompt.
/// OpenAI's <c>prompt_tokens</c> already include cached tokens; Anthropic's <c>input_tokens</c> exclude both
/// cache reads and cache writes, which its adapter reports beside them.
/// </summary>
internal static class UsageNormalizer
{
    public static TraceUsage Normalize(string provider, UsageDetails? reported, AgentHost.Core.Domain.Usage counted)
    {
        if (reported is null)
        {
            return new TraceUsage { InputTokens = counted.PromptTokens, OutputTokens = counted.CompletionTokens, Reported = false };
        }

        var input = reported.InputTokenCount ?? counted.PromptTokens;
        var cached = reported.CachedInputTokenCount ?? 0;
        var write = Additional(reported, "cache_creation_input_tokens", "CacheCreationInputTokens");
        if (provider == "anthropic")
        {
            var read = Additional(reported, "cache_read_input_tokens", "CacheReadInputTokens");
            cached = Math.Max(cached, read);
            // The adapter passes input_tokens through: the uncached part only.
            input += cached + write;
        }

        return new TraceUsage
        {
            InputTokens = (int)input,
            OutputTokens = (int)(reported.OutputTokenCount ?? counted.CompletionTokens),
            CachedInputTokens = (int)cached,
            CacheWriteTokens = (int)write,
            ReasoningTokens = (int)(reported.ReasoningTokenCount ?? 0),
        };
    }

    private static long Additional(UsageDetails usage, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (usage.AdditionalCounts?.TryGetValue(key, out var value) == true)
            {
                return value;
            }
        }

        return 0;
    }
}
