namespace AgentHost.Server.Tests.Support;

/// <summary>One scripted model answer: text, tool calls, or an HTTP error.</summary>
public sealed record ScriptedTurn
{
    public string? Text { get; init; }
    public IReadOnlyList<(string Id, string Name, string Arguments)> ToolCalls { get; init; } = [];
    public int PromptTokens { get; init; } = 12;
    public int CompletionTokens { get; init; } = 5;
    public string FinishReason { get; init; } = "stop";
    public int Status { get; init; } = 200;

    /// <summary>Prompt tokens read from the cache (Anthropic <c>cache_read_input_tokens</c>, OpenAI <c>cached_tokens</c>, counted into <c>prompt_tokens</c>).</summary>
    public int CachedTokens { get; init; }

    /// <summary>Anthropic <c>cache_creation_input_tokens</c>; the OpenAI wire has no such count.</summary>
    public int CacheCreationTokens { get; init; }

    /// <summary>OpenAI <c>completion_tokens_details.reasoning_tokens</c> (a reasoning model's hidden reasoning, counted into the completion).</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Anthropic extended thinking, sent as a thinking block before the text.</summary>
    public string? Thinking { get; init; }

    /// <summary>Anthropic redacted thinking: a <c>redacted_thinking</c> block with this encrypted data, before any thinking and text.</summary>
    public string? RedactedThinking { get; init; }

    /// <summary>The stop sequence that ended the turn (Anthropic <c>stop_sequence</c>; OpenAI says only <c>stop</c>).</summary>
    public string? StopSequence { get; init; }

    /// <summary>The upstream's error type for a non-200 <see cref="Status"/>, e.g. <c>overloaded_error</c>.</summary>
    public string ErrorType { get; init; } = "api_error";

    /// <summary>Fails a stream after its first content: Anthropic sends <c>event: error</c>, OpenAI sends a broken chunk.</summary>
    public string? FailMidStream { get; init; }

    /// <summary>Streams the first content, then goes silent until the client (AgentHost) gives up the call.</summary>
    public bool StallMidStream { get; init; }

    /// <summary>Holds the answer back until released, to observe a run mid-call.</summary>
    public TaskCompletionSource? Gate { get; init; }

    public static ScriptedTurn Say(string text) => new() { Text = text };

    public static ScriptedTurn Call(params (string Id, string Name, string Arguments)[] calls) => new() { ToolCalls = calls, FinishReason = "tool_calls" };
}
