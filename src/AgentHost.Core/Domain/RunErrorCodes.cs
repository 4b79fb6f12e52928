namespace AgentHost.Core.Domain;

/// <summary>The codes a run's or step's <c>last_error</c> may carry, as the Assistants API defines them.</summary>
public static class RunErrorCodes
{
    public const string ServerError = "server_error";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string InvalidPrompt = "invalid_prompt";

    /// <summary>The input does not fit the model's context window and the run may not truncate it (Responses <c>truncation: disabled</c>).</summary>
    public const string ContextLengthExceeded = "context_length_exceeded";
}
