using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>A Messages API request translated for the routed chat client.</summary>
internal sealed record MessagesCall
{
    public required string Model { get; init; }

    public required List<ChatMessage> Messages { get; init; }

    public required ChatOptions Options { get; init; }

    public bool Stream { get; init; }

    /// <summary>The request's own fields that only an Anthropic upstream understands (exact thinking budget, tool_choice, metadata).</summary>
    public required AnthropicPassthrough Passthrough { get; init; }

    /// <summary>The raw <c>tools</c> array, for counting tokens.</summary>
    public JsonElement? Tools { get; init; }
}
