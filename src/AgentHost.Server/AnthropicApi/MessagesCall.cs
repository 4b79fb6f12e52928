using System.Text.Json;
using AgentHost.Server.Compat;

namespace AgentHost.Server.AnthropicApi;

/// <summary>A Messages API request translated for the routed chat client.</summary>
internal sealed record MessagesCall : CompatCall
{
    /// <summary>The request's own fields that only an Anthropic upstream understands (exact thinking budget, tool_choice, metadata).</summary>
    public required AnthropicPassthrough Passthrough { get; init; }

    /// <summary>The raw <c>tools</c> array, for counting tokens.</summary>
    public JsonElement? Tools { get; init; }

    /// <summary>Request fields accepted but not carried to the model (paths like <c>context_management</c>), for the trace.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];
}
