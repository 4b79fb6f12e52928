using Microsoft.Extensions.AI;

namespace AgentHost.Server.ChatCompletions;

/// <summary>A Chat Completions request translated for the routed chat client.</summary>
internal sealed record ChatCompletionCall
{
    public required string Model { get; init; }

    public required List<ChatMessage> Messages { get; init; }

    public required ChatOptions Options { get; init; }

    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>: a last chunk with usage and no choices.</summary>
    public bool IncludeUsage { get; init; }
}
