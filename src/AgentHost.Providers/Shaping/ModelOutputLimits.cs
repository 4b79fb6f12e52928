namespace AgentHost.Providers.Shaping;

/// <summary>
/// The most output tokens a model accepts as <c>max_tokens</c>: configured limits
/// (<c>AgentHost:Providers:MaxOutputTokens</c>, by model name prefix, then a compatible server's own
/// <c>MaxOutputTokens</c>) before the published limits of the built-in providers' models. A client written for one
/// model (Claude Code asks for 32,000) then still works on a model that takes fewer.
/// </summary>
internal sealed class ModelOutputLimits(ProviderOptions options)
{
    // Longest matching prefix wins; the published limits as of the models' documentation.
    private static readonly (string Prefix, int Limit)[] Published =
    [
        ("claude-opus-4-5", 64_000), ("claude-opus-4", 32_000), ("claude-sonnet-4", 64_000), ("claude-haiku-4", 64_000),
        ("claude-3-7-sonnet", 64_000), ("claude-3-5", 8_192), ("claude-3-", 4_096),
        ("gpt-4o", 16_384), ("chatgpt-4o", 16_384), ("gpt-4.1", 32_768), ("gpt-4-turbo", 4_096), ("gpt-4", 8_192), ("gpt-3.5", 4_096),
        ("gpt-5", 128_000), ("o1-mini", 65_536), ("o1", 100_000), ("o3", 100_000), ("o4", 100_000),
    ];

    /// <summary>The limit for <paramref name="model"/> served by <paramref name="provider"/>, or null when none is known.</summary>
    public int? For(string provider, string model)
    {
        if (Longest(options.MaxOutputTokens.Select(p => (p.Key, p.Value)), model) is { } configured)
        {
            return configured;
        }

        if (options.Servers.TryGetValue(provider, out var server))
        {
            return server.MaxOutputTokens;
        }

        return Longest(Published, model);
    }

    private static int? Longest(IEnumerable<(string Prefix, int Limit)> limits, string model)
    {
        int? best = null;
        var bestLength = -1;
        foreach (var (prefix, limit) in limits)
        {
            if (prefix.Length > bestLength && model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                (best, bestLength) = (limit, prefix.Length);
            }
        }

        return best;
    }
}
