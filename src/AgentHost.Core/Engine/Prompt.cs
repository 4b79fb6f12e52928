using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>The messages one model call sends, after truncation, with their estimated size.</summary>
public sealed record Prompt(IReadOnlyList<ChatMessage> Messages, int EstimatedTokens);
