namespace AgentHost.Providers.Routing;

/// <summary>A few current model names listed when their provider has a key; any other name of the family routes too.</summary>
internal static class WellKnownModels
{
    public static readonly string[] Anthropic = ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"];

    public static readonly string[] OpenAI = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini"];

    private static readonly string[] OpenAIPrefixes = ["gpt-", "chatgpt-", "o1", "o3", "o4"];

    public static string? ProviderFor(string model)
    {
        if (model.StartsWith("claude-", StringComparison.OrdinalIgnoreCase))
        {
            return ProviderNames.Anthropic;
        }

        foreach (var prefix in OpenAIPrefixes)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return ProviderNames.OpenAI;
            }
        }

        return null;
    }
}
