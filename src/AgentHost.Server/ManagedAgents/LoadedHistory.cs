using Microsoft.Extensions.AI;

namespace AgentHost.Server.ManagedAgents;

/// <summary>A turn's history as loaded, and the last event of the session's log it accounts for.</summary>
internal sealed record LoadedHistory(IReadOnlyList<ChatMessage> Messages, long Through);
