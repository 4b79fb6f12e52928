using AgentHost.Server.Compat;

namespace AgentHost.Server.ChatCompletions;

/// <summary>A Chat Completions request translated for the routed chat client.</summary>
internal sealed record ChatCompletionCall : CompatCall
{
    /// <summary><c>stream_options.include_usage</c>: a last chunk with usage and no choices.</summary>
    public bool IncludeUsage { get; init; }
}
