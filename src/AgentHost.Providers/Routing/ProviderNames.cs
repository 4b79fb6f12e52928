namespace AgentHost.Providers.Routing;

/// <summary>The built-in providers; compatible servers go by their configured names.</summary>
internal static class ProviderNames
{
    public const string Anthropic = "anthropic";
    public const string OpenAI = "openai";

    public static bool IsBuiltIn(string name) =>
        string.Equals(name, Anthropic, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, OpenAI, StringComparison.OrdinalIgnoreCase);
}
