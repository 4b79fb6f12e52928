namespace AgentHost.Providers;

/// <summary>An OpenAI-compatible Chat Completions server such as Ollama, vLLM or llama.cpp.</summary>
public sealed class CompatibleServerOptions
{
    /// <summary>The URL the <c>/chat/completions</c> path is appended to, e.g. <c>http://localhost:11434/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Optional; local servers usually need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model names this server serves; an entry ending in <c>*</c> is a prefix (e.g. <c>qwen*</c>).</summary>
    public List<string> Models { get; } = [];

    /// <summary>The most output tokens its models take; a request asking for more is sent with this many. None by default.</summary>
    public int? MaxOutputTokens { get; set; }
}
