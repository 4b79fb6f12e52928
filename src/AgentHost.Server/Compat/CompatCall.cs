using Microsoft.Extensions.AI;

namespace AgentHost.Server.Compat;

/// <summary>A compatible API's request translated for the routed chat client; each API adds its own fields.</summary>
internal abstract record CompatCall
{
    public required string Model { get; init; }

    public required List<ChatMessage> Messages { get; init; }

    public required ChatOptions Options { get; init; }

    public bool Stream { get; init; }
}
