namespace AgentHost.Server.Observability.Cli;

/// <summary>One model call of a planned conversation, in tokens.</summary>
public sealed record PlannedCall(int Index, long InputTokens, long CachedInputTokens, long CacheWriteTokens, long OutputTokens);
