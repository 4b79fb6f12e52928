namespace AgentHost.Server.Observability.Cli;

/// <summary>A monthly workload to price: conversations, their tokens, tool calls and how much a prompt cache serves.</summary>
public sealed record Workload
{
    public required long RequestsPerMonth { get; init; }

    /// <summary>The prompt of the first call: instructions and the user's message.</summary>
    public required int InputTokens { get; init; }

    /// <summary>The final answer.</summary>
    public required int OutputTokens { get; init; }
    public int ToolCalls { get; init; }

    /// <summary>Tokens all tool results add to the context, together (split evenly over the calls).</summary>
    public int ToolResultTokens { get; init; }

    /// <summary>Output tokens of each call that asks for a tool (the call's name and arguments).</summary>
    public int ToolRequestTokens { get; init; } = 20;

    /// <summary>Share, 0 to 1, of the context a call re-sends that a prompt cache serves.</summary>
    public double CacheHitRate { get; init; }
}
