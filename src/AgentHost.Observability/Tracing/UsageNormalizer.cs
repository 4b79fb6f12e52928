using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// Turns a provider's reported usage into <see cref="TraceUsage"/>, where input counts the whole prompt.
/// OpenAI's <c>prompt_tokens</c> already include cached tokens; Anthropic's <c>input_tokens</c> exclude both
/// cache reads and cache writes.
/// </summary>
internal static class UsageNormalizer
{
    /// <param name="reported">What the provider reported, or null.</param>
    /// <param name="estimateInput">AgentHost's count of the prompt, asked only when the provider did not report it.</param>
    /// <param name="estimateOutput">AgentHost's count of the output, likewise.</param>
    public static TraceUsage Normalize(UsageDetails? reported, Func<int> estimateInput, Func<int> estimateOutput)
    {
        if (reported is null)
        {
            return new TraceUsage { InputTokens = estimateInput(), OutputTokens = estimateOutput(), Reported = false };
        }

        // Both adapters follow Microsoft.Extensions.AI's convention that InputTokenCount is the whole prompt: the
        // OpenAI one passes prompt_tokens through; the Anthropic one adds cache_read_input_tokens and
        // cache_creation_input_tokens to input_tokens, reports the reads as CachedInputTokenCount and the writes
        // under AdditionalCounts. The trace tests check this against Anthropic's wire format.
        return new TraceUsage
        {
            InputTokens = (int)(reported.InputTokenCount ?? estimateInput()),
            OutputTokens = (int)(reported.OutputTokenCount ?? estimateOutput()),
            CachedInputTokens = (int)(reported.CachedInputTokenCount ?? Additional(reported, "cache_read_input_tokens", "CacheReadInputTokens")),
            CacheWriteTokens = (int)Additional(reported, "cache_creation_input_tokens", "CacheCreationInputTokens", "CacheCreationInputTokenCount"),
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
