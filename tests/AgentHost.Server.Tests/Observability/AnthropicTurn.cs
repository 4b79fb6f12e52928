namespace AgentHost.Server.Tests.Observability;

/// <summary>One scripted Anthropic answer: text and/or one tool use with its usage, or an HTTP error status.</summary>
public sealed record AnthropicTurn
{
    public string? Text { get; init; }
    public (string Id, string Name, string Json)? ToolUse { get; init; }
    public int InputTokens { get; init; } = 10;
    public int OutputTokens { get; init; } = 5;
    public int CacheReadTokens { get; init; }
    public int CacheWriteTokens { get; init; }
    public int Status { get; init; } = 200;

    public static AnthropicTurn Say(string text) => new() { Text = text };

    public static AnthropicTurn Use(string id, string name, string json) => new() { ToolUse = (id, name, json) };

    public static AnthropicTurn Overloaded() => new() { Status = 529 };
}
