namespace AgentHost.Providers.Shaping;

/// <summary>The wire a model is reached through, which decides what a request must look like to be accepted.</summary>
internal enum TargetDialect
{
    /// <summary>Anthropic's Messages API.</summary>
    Anthropic,

    /// <summary>OpenAI's own Chat Completions API.</summary>
    OpenAI,

    /// <summary>An OpenAI-compatible server (vLLM, Ollama, llama.cpp, hosted compatible endpoints): the narrowest schema support.</summary>
    Compatible,
}
