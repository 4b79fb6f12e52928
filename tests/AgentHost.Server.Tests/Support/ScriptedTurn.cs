namespace AgentHost.Server.Tests.Support;

/// <summary>One scripted model answer: text, tool calls, or an HTTP error.</summary>
public sealed record ScriptedTurn
{
    public string? Text { get; init; }
    public IReadOnlyList<(string Id, string Name, string Arguments)> ToolCalls { get; init; } = [];
    public int PromptTokens { get; init; } = 12;
    public int CompletionTokens { get; init; } = 5;

    /// <summary>The part of <see cref="PromptTokens"/> served from the prompt cache (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public int CachedTokens { get; init; }
    public string FinishReason { get; init; } = "stop";
    public int Status { get; init; } = 200;

    /// <summary>Holds the answer back until released, to observe a run mid-call.</summary>
    public TaskCompletionSource? Gate { get; init; }

    public static ScriptedTurn Say(string text) => new() { Text = text };

    public static ScriptedTurn Call(params (string Id, string Name, string Arguments)[] calls) => new() { ToolCalls = calls, FinishReason = "tool_calls" };
}
